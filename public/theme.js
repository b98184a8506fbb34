// Applies the reader's remembered theme before the page paints (no flash).
// A plain file, not an inline script, so the Content-Security-Policy stays 'self'.
(function () {
  try {
    var theme = localStorage.getItem('plotline-theme');
    if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  } catch (error) {
    // Storage blocked: follow the operating system.
  }
})();
