// One REST call as the tests make them: JSON in, status and parsed body out (text when the answer is not JSON).
export async function apiCall(
  base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (/^[[{]/.test(text) ? JSON.parse(text) : text) as any };
}
