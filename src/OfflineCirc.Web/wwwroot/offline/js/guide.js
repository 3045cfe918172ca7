// Fills this server's bookmark address into the staff guide.
const address = `${location.origin}/offline/`;
for (const node of document.querySelectorAll('[data-bookmark]')) {
  if (node instanceof HTMLAnchorElement) node.href = address;
  node.textContent = address;
}
