/** A problem the operator must fix; the CLI prints its message alone, without a stack. */
export class ConfigurationProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationProblem';
  }
}
