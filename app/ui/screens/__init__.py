"""The screens of the main window, one module each; their table models beside them."""
