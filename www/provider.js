// The OpenID provider's login page: fills in the email the application suggested (`login_hint`), and
// once the widget's journey ends (`latchkey:signed-in`, after any passkey enrollment) continues the
// authorization request, which now finds the session and returns to the application with a code.
const page = document.querySelector('main[data-continue]');

if (page) {
  document.addEventListener('latchkey:signed-in', () => location.assign(page.dataset.continue));
  const hint = page.dataset.loginHint;
  if (hint) {
    // The widget renders its email field after its module loads; fill it once, as typing would.
    const fill = () => {
      const field = page.querySelector('input[type="email"]');
      if (!field) return false;
      if (!field.value) {
        field.value = hint;
        field.dispatchEvent(new Event('input', { bubbles: true }));
      }
      return true;
    };
    if (!fill()) {
      const watcher = new MutationObserver(() => fill() && watcher.disconnect());
      watcher.observe(page, { childList: true, subtree: true });
    }
  }
}
