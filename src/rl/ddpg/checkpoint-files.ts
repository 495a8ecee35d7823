/** The files of a DDPG checkpoint folder (a module of its own: the dashboard's page reads them too). */
export const CHECKPOINT_FILES = {
  actor: 'actor.safetensors',
  critic: 'critic.safetensors',
  targetActor: 'target-actor.safetensors',
  targetCritic: 'target-critic.safetensors',
  actorOpt: 'actor-optimizer.safetensors',
  criticOpt: 'critic-optimizer.safetensors',
  state: 'state.json',
} as const;
