package org.unet4j.dsl.model;

/**
 * One layer as the walk along one axis sees it: its size along that axis, its output channels,
 * its parameters and its multiply-adds per output point, from which {@link Geometry} and
 * {@link VolumeGeometry} build a {@link LayerShape} once the sizes along every axis are known.
 */
record AxisLayer(String path, LayerKind kind, int size, int channels, long parameters, long macsPerPoint) {}
