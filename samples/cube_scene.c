/* cube_scene.c - the cube sample's scene (geometry, deterministic rotation,
 * matrices), shared by the guest program (cube.c) and its native OpenGL
 * equivalent (native_cube.c) so that both draw exactly the same thing. */
#include "cube_scene.h"

#include <string.h>

/* The 8 corners, each its own color. */
const cube_vertex cube_vertices[8] = {
    {-1, -1, -1, 0xFF000000u}, {1, -1, -1, 0xFFFF0000u}, {1, 1, -1, 0xFFFFFF00u},
    {-1, 1, -1, 0xFF00FF00u},  {-1, -1, 1, 0xFF0000FFu}, {1, -1, 1, 0xFFFF00FFu},
    {1, 1, 1, 0xFFFFFFFFu},    {-1, 1, 1, 0xFF00FFFFu},
};

/* 12 triangles, clockwise seen from outside (Direct3D's front faces). */
const uint16_t cube_indices[36] = {
    0, 3, 2, 0, 2, 1, /* -z */
    4, 5, 6, 4, 6, 7, /* +z */
    0, 4, 7, 0, 7, 3, /* -x */
    1, 2, 6, 1, 6, 5, /* +x */
    0, 1, 5, 0, 5, 4, /* -y */
    3, 7, 6, 3, 6, 2, /* +y */
};

/* sin(2*pi*k/FRAMES_PER_TURN) by a Taylor series on a reduced angle:
 * deterministic (IEEE single precision, no library call). */
float cube_turn_sin(uint32_t k)
{
    const float pi = 3.14159265358979f;
    k %= FRAMES_PER_TURN;
    float x = 2.0f * pi * (float)k / (float)FRAMES_PER_TURN; /* [0, 2pi) */
    if (x > pi) {
        x -= 2.0f * pi; /* (-pi, pi] */
    }
    float x2 = x * x, term = x, sum = x;
    for (int n = 1; n < 10; n++) {
        term = -term * x2 / (float)((2 * n) * (2 * n + 1));
        sum += term;
    }
    return sum;
}

float cube_turn_cos(uint32_t k)
{
    return cube_turn_sin(k + FRAMES_PER_TURN / 4u);
}

/* out = a * b (row-vector convention, D3D layout m[row * 4 + col]). */
void cube_mat_mul(float out[16], const float a[16], const float b[16])
{
    float r[16];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            float s = 0.0f;
            for (int k = 0; k < 4; k++) {
                s += a[i * 4 + k] * b[k * 4 + j];
            }
            r[i * 4 + j] = s;
        }
    }
    memcpy(out, r, sizeof(r));
}

void cube_mat_identity(float m[16])
{
    memset(m, 0, 16 * sizeof(float));
    m[0] = m[5] = m[10] = m[15] = 1.0f;
}

/* The world matrix of frame f: a turn about y, and half as fast about x. */
void cube_world_matrix(uint32_t f, float m[16])
{
    float ry[16], rx[16];
    cube_mat_identity(ry);
    cube_mat_identity(rx);
    float sy = cube_turn_sin(f), cy = cube_turn_cos(f);
    float sx = cube_turn_sin(f / 2u), cx = cube_turn_cos(f / 2u);
    ry[0] = cy;
    ry[2] = -sy;
    ry[8] = sy;
    ry[10] = cy;
    rx[5] = cx;
    rx[6] = sx;
    rx[9] = -sx;
    rx[10] = cx;
    cube_mat_mul(m, ry, rx);
}

/* Left-handed perspective (D3DXMatrixPerspectiveFovLH) with a 60-degree
 * vertical field of view: 1/tan(30 deg) = sqrt(3). */
void cube_projection_matrix(uint32_t w, uint32_t h, float m[16])
{
    const float zn = 1.0f, zf = 10.0f, yscale = 1.7320508f;
    memset(m, 0, 16 * sizeof(float));
    m[0] = yscale * (float)h / (float)w;
    m[5] = yscale;
    m[10] = zf / (zf - zn);
    m[11] = 1.0f;
    m[14] = -zn * zf / (zf - zn);
}

void cube_faces_build(cube_face_vertex v[24], uint16_t idx[36])
{
    static const float normals[6][3] = {{1, 0, 0},  {-1, 0, 0}, {0, 1, 0},
                                        {0, -1, 0}, {0, 0, 1},  {0, 0, -1}};
    for (uint32_t f = 0; f < 6; f++) {
        const float *n = normals[f];
        /* two axes spanning the face (w = n x u); corners 0, 1, 2, 3 run
         * counterclockwise seen from outside, so the triangles take them
         * backwards: clockwise, Direct3D's front faces */
        float u[3] = {n[1] != 0.0f ? 1.0f : 0.0f, n[0] != 0.0f ? 1.0f : 0.0f, 0.0f};
        if (n[2] != 0.0f) {
            u[0] = 1.0f;
            u[1] = 0.0f;
        }
        float w[3] = {n[1] * u[2] - n[2] * u[1], n[2] * u[0] - n[0] * u[2],
                      n[0] * u[1] - n[1] * u[0]};
        static const float corner[4][2] = {{-1, -1}, {-1, 1}, {1, 1}, {1, -1}};
        for (uint32_t k = 0; k < 4; k++) {
            cube_face_vertex *o = &v[f * 4 + k];
            for (uint32_t a = 0; a < 3; a++) {
                o->pos[a] = 0.5f * (n[a] + corner[k][0] * u[a] + corner[k][1] * w[a]);
                o->normal[a] = n[a];
            }
        }
        const uint16_t b = (uint16_t)(f * 4);
        const uint16_t q[6] = {b, (uint16_t)(b + 2), (uint16_t)(b + 1),
                               b, (uint16_t)(b + 3), (uint16_t)(b + 2)};
        memcpy(&idx[f * 6], q, sizeof(q));
    }
}
