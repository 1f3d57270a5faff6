package org.unet4j.dsl.model;

/** The down-sampling operation between contracting stages. */
public enum PoolingKind {
  /** Max pooling, the paper's choice. */
  MAX,
  AVERAGE
}
