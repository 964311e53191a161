// The portal session workflow's contract (workflows/portalSession.ts): one run per portal sign-in. Its id is derived
// from the sign-in link, so a link starts at most one session (single use); the session is valid while it runs.
import { defineSignal } from '@temporalio/workflow';

export const PORTAL_SESSION_WORKFLOW = 'portalSession';

export interface PortalSessionStart {
  merchantId: string;
  /** How long the session lasts unless signed out first. */
  lifetimeMs: number;
}
export type PortalSessionWorkflow = (start: PortalSessionStart) => Promise<'expired' | 'signed_out'>;

/** Sign-out: the run ends, and every request carrying the session's cookie is refused from then on. */
export const signOutSignal = defineSignal('signOut');

/** `sessionId`: a digest of the sign-in link's id, never the link itself. */
export const portalSessionWorkflowId = (sessionId: string) => `portal-session.${sessionId}`;
