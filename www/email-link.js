// The page after "It wasn't me" on a verification link: tells this browser's passkey provider that the
// account has no valid passkey any more (signalAllAcceptedCredentials, WebAuthn L3 §5.1.11), so it stops
// offering any it holds. Browsers without the Signal API skip it.
const page = document.querySelector('[data-signal-user]');
if (page && typeof globalThis.PublicKeyCredential?.signalAllAcceptedCredentials === 'function') {
  PublicKeyCredential.signalAllAcceptedCredentials({
    rpId: page.dataset.signalRp,
    userId: page.dataset.signalUser,
    allAcceptedCredentialIds: [],
  }).catch(() => {});
}
