"""What people say and how they feel: VADER and the learned sentiment label, cues, emotion, intent, sarcasm,
aspects, volume and sentiment over time, spike alerts and the people (advocates, detractors, amplifiers)."""
