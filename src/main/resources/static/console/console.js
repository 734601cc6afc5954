// Charts where JavaScript runs (the tables beside them say the same); a copy button for each query.
(function () {
  function bytes(n) {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return n.toFixed(i === 0 ? 0 : 1) + ' ' + units[i];
  }
  document.querySelectorAll('canvas.chart').forEach(function (canvas) {
    const labels = (canvas.dataset.labels || '').split('|').filter(function (l) { return l.length > 0; });
    const values = (canvas.dataset.values || '').split('|').filter(function (v) { return v.length > 0; }).map(Number);
    if (typeof Chart === 'undefined' || labels.length === 0) { return; }
    new Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: [{ label: canvas.getAttribute('aria-label'), data: values, backgroundColor: '#1f3d7a' }] },
      options: {
        indexAxis: 'y', animation: false, responsive: true,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return bytes(c.raw); } } } },
        scales: { x: { ticks: { callback: function (v) { return bytes(v); } } } }
      }
    });
  });
  document.querySelectorAll('button.copy').forEach(function (button) {
    button.addEventListener('click', function () {
      const text = document.getElementById(button.dataset.copy).textContent;
      navigator.clipboard.writeText(text).then(function () { button.textContent = 'Copied'; });
    });
  });
})();
