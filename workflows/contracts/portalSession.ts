// The portal session workflow's contract (workflows/portalSession.ts): one run per portal sign-in. Its id is derived
// from the sign-in link, so a link starts at most one session (single use); the session is valid while it runs.
// Sign-out terminates the run: the server closes it at once, so no request after the sign-out finds it open.

export const PORTAL_SESSION_WORKFLOW = 'portalSession';

export interface PortalSessionStart {
  merchantId: string;
  /** How long the session lasts unless signed out first. */
  lifetimeMs: number;
}
export type PortalSessionWorkflow = (start: PortalSessionStart) => Promise<void>;

/** The termination reason of a sign-out, as the Web UI shows it. */
export const SIGNED_OUT = 'signed out by the merchant';

/** `sessionId`: a digest of the sign-in link's id, never the link itself. */
export const portalSessionWorkflowId = (sessionId: string) => `portal-session.${sessionId}`;
