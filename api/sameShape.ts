// Response schemas answer domain types (a workflow's state): the two must not drift. `SameShape<A, B>` is `true` only
// when both have the same fields, each assignable both ways; a check such as
// `const checked: SameShape<z.infer<typeof schema>, State> = true` fails the build when either side gains a field.
export type SameShape<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
  ? [A] extends [B] ? [B] extends [A] ? true : false : false
  : false;
