// The demo page's own script: shows the widget's DOM events, as a host page would consume them.
const log = document.getElementById('events');
for (const name of ['latchkey:signed-in', 'latchkey:signed-out', 'latchkey:error']) {
  document.addEventListener(name, (event) => {
    const item = document.createElement('li');
    item.textContent = `${name} ${JSON.stringify(event.detail)}`;
    log.prepend(item);
  });
}
