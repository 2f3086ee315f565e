"""Streamlit front end: it calls the platform's services and shows what they answer."""
