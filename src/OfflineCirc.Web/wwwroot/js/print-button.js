// Buttons marked data-print print the page (the content security policy allows no inline handlers).
document.querySelectorAll('[data-print]').forEach((button) => button.addEventListener('click', () => window.print()));
