const form = document.getElementById('login');
const error = document.getElementById('error');
document.getElementById('token').focus();
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  const token = form.token.value.trim();
  const response = await fetch('/ui/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ token }),
    credentials: 'same-origin',
  });
  form.token.value = '';
  if (response.ok) {
    location.replace('/ui/' + (sessionStorage.getItem('rewind-return') || ''));
    return;
  }
  const problem = await response.json().catch(() => ({}));
  error.textContent = problem.detail || `login failed (${response.status})`;
});
