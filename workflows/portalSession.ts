// A merchant's portal session: open from sign-in until it expires or the merchant signs out. The API checks that
// the run is open on every portal request, so a sign-out takes effect everywhere at once.
import { condition, setHandler } from '@temporalio/workflow';
import { signOutSignal, type PortalSessionStart } from './contracts/portalSession';

export async function portalSession({ lifetimeMs }: PortalSessionStart): Promise<'expired' | 'signed_out'> {
  let signedOut = false;
  setHandler(signOutSignal, () => void (signedOut = true));
  return (await condition(() => signedOut, lifetimeMs)) ? 'signed_out' : 'expired';
}
