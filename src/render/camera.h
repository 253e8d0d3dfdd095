/*
 * camera.h — the orbit camera of the 3-D view (cglm).
 *
 * World space of the 3-D view: the surface's domain mapped to a box centred on the
 * origin, x to the right, y away from the viewer, z up (heights 0 .. RENDER_HEIGHT).
 * The camera orbits `target` at `distance`, `yaw` degrees around z and `pitch`
 * degrees above the xy plane; the scene's distance is in domain diagonals.
 *
 * Index
 *     camera, camera_init(c, yaw, pitch, distance)
 *     camera_reset(c), camera_diagonals(c)
 *     camera_orbit(c, dyaw, dpitch), camera_zoom(c, factor)
 *     camera_eye(c, eye)
 *     camera_view_proj(c, aspect, dest)        projection × view
 *     camera_ray(c, aspect, ndc_x, ndc_y, origin, dir)   a ray through a point of the viewport
 */
#ifndef LOSSCAPE_RENDER_CAMERA_H
#define LOSSCAPE_RENDER_CAMERA_H

#include <cglm/cglm.h>

typedef struct camera {
    float yaw, pitch;       /* degrees; pitch clamped to [−89, 89] */
    float distance;         /* world units from target */
    float fovy;             /* vertical field of view, degrees (default 35) */
    vec3 target;            /* point orbited (default the box centre) */
    float home[3];          /* yaw, pitch, distance for camera_reset */
} camera;

/* Camera at (yaw, pitch) and `diagonals` domain diagonals away (the world's domain
 * box has diagonal 2√2), looking at the centre of the height box. */
void camera_init(camera *c, float yaw, float pitch, float diagonals);
void camera_reset(camera *c);
/* The distance in domain diagonals (what scene files store). */
float camera_diagonals(const camera *c);
void camera_orbit(camera *c, float dyaw, float dpitch);
void camera_zoom(camera *c, float factor);      /* distance *= factor, clamped */
void camera_eye(const camera *c, vec3 eye);
void camera_view_proj(const camera *c, float aspect, mat4 dest);
/* World-space ray through normalized device coordinates (ndc_x, ndc_y) ∈ [−1, 1]². */
void camera_ray(const camera *c, float aspect, float ndc_x, float ndc_y, vec3 origin,
                vec3 dir);

#endif
