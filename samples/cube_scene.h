/* cube_scene.h - the cube sample's scene, shared by cube.c (through the
 * virtual GPU) and native_cube.c (native OpenGL).  Private to samples/. */
#ifndef VGT_CUBE_SCENE_H
#define VGT_CUBE_SCENE_H

#include <stdint.h>

#define FRAMES_PER_TURN 120u /* frames of one full turn about y */

typedef struct cube_vertex {
    float x, y, z;
    uint32_t color; /* D3DCOLOR 0xAARRGGBB */
} cube_vertex;

/* The 8 corners, each its own color. */
extern const cube_vertex cube_vertices[8];
/* 12 triangles, clockwise seen from outside (Direct3D's front faces). */
extern const uint16_t cube_indices[36];

/* One vertex of a cube with a normal per face: a corner of a face, and the
 * face's normal (instanced, deferred). */
typedef struct cube_face_vertex {
    float pos[3];
    float normal[3];
} cube_face_vertex;

/* The unit cube (corners at +-0.5) as 6 faces of 4 vertices each; 12
 * triangles, clockwise seen from outside (Direct3D's front faces). */
void cube_faces_build(cube_face_vertex v[24], uint16_t idx[36]);

/* sin / cos of 2*pi*k/FRAMES_PER_TURN, deterministic (no libm). */
float cube_turn_sin(uint32_t k);
float cube_turn_cos(uint32_t k);
/* out = a * b (row vectors, D3D layout m[row * 4 + col]); out may alias a. */
void cube_mat_mul(float out[16], const float a[16], const float b[16]);
void cube_mat_identity(float m[16]);
/* The world matrix of frame f: a turn about y, and half as fast about x. */
void cube_world_matrix(uint32_t f, float m[16]);
/* Left-handed 60-degree perspective for a w x h target. */
void cube_projection_matrix(uint32_t w, uint32_t h, float m[16]);

#endif
