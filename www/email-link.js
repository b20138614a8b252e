// The pages of a mailed email link. The link's token leaves the address bar and the history at once
// (the form carries it). After "It wasn't me" on a verification link, this browser's passkey provider
// is told that the account has no valid passkey any more (signalAllAcceptedCredentials, WebAuthn L3
// §5.1.11), so it stops offering any it holds; browsers without the Signal API skip that.
if (location.search) history.replaceState(null, '', location.pathname);
const page = document.querySelector('[data-signal-user]');
if (page && typeof globalThis.PublicKeyCredential?.signalAllAcceptedCredentials === 'function') {
  PublicKeyCredential.signalAllAcceptedCredentials({
    rpId: page.dataset.signalRp,
    userId: page.dataset.signalUser,
    allAcceptedCredentialIds: [],
  }).catch(() => {});
}
