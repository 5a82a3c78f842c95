package io.github.researchcycle.core;

/** The research cycle refusing a step as designed: a gate not passed, a dirty tree. */
public class GateException extends ResearchException {
  private static final long serialVersionUID = 1L;

  /** Creates a refusal whose message names the gate and the command that passes it. */
  public GateException(String message) {
    super(message);
  }
}
