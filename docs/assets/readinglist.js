// readinglist: give Material's search overlay (role="dialog") an accessible name, which its template
// leaves out (axe: aria-dialog-name). Runs once per page load; the site uses no instant navigation.
document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach((dialog) => {
  dialog.setAttribute("aria-label", "Search");
});
