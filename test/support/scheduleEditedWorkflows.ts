// Arauto's workflows as a careless change would leave them: one more retry appended to Gerencianet's schedule (G3),
// not behind patched(). test/tctlReplay.test.ts runs a worker on this to record a history today's code must refuse.
import { gerencianet } from '../../providers/gerencianet';

// The registry's profile is this same array (imports run first), so every delivery of this bundle gets 11 attempts.
(gerencianet.profile.retryDelaysMinutes as number[]).push(20);

export * from '../../workflows';
