// Headers every answer carries (issue 16): no content sniffing, and a Content-Security-Policy that lets the HTML
// Arauto serves (/docs, /codec/session) load only its own scripts, so injected markup cannot run anything.
import type { NextFunction, Request, Response } from 'express';

/**
 * Swagger UI (/docs) loads its scripts from /docs itself and calls the API; its page has inline `<style>` blocks
 * and style attributes, hence 'unsafe-inline' for styles only. The codec form posts to itself.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({ 'x-content-type-options': 'nosniff', 'content-security-policy': CONTENT_SECURITY_POLICY });
  next();
}
