/*
 * camera.c — orbit camera maths.
 */
#include "render/camera.h"

#include <math.h>

#define RENDER_DIAGONAL 2.8284271f  /* the world's domain box is [−1, 1]² at most */
#define FIT 1.0f                    /* extra distance so the box and its height fit the view */

void camera_init(camera *c, float yaw, float pitch, float diagonals)
{
    c->fovy = 40.0f;
    c->target[0] = 0;
    c->target[1] = 0;
    c->target[2] = 0.25f;
    c->home[0] = yaw;
    c->home[1] = pitch;
    c->home[2] = diagonals * RENDER_DIAGONAL * FIT;
    camera_reset(c);
}

void camera_reset(camera *c)
{
    c->yaw = c->home[0];
    c->pitch = c->home[1];
    c->distance = c->home[2];
}

void camera_orbit(camera *c, float dyaw, float dpitch)
{
    c->yaw = fmodf(c->yaw + dyaw, 360.0f);
    c->pitch += dpitch;
    if (c->pitch > 89.0f)
        c->pitch = 89.0f;
    if (c->pitch < -89.0f)
        c->pitch = -89.0f;
}

void camera_zoom(camera *c, float factor)
{
    c->distance *= factor;
    if (c->distance < 0.5f)
        c->distance = 0.5f;
    if (c->distance > 40.0f)
        c->distance = 40.0f;
}

void camera_eye(const camera *c, vec3 eye)
{
    float y = glm_rad(c->yaw), p = glm_rad(c->pitch);
    /* yaw 0 looks along +y (from −y); positive yaw turns the eye counter-clockwise */
    eye[0] = c->target[0] + c->distance * cosf(p) * sinf(y);
    eye[1] = c->target[1] - c->distance * cosf(p) * cosf(y);
    eye[2] = c->target[2] + c->distance * sinf(p);
}

static void view_proj(const camera *c, float aspect, mat4 view, mat4 proj)
{
    vec3 eye, up = { 0, 0, 1 };
    /* a viewport narrower than 4:3 moves the eye back so the box still fits across */
    camera cc = *c;
    if (aspect > 0 && aspect < 1.33f)
        cc.distance *= powf(1.33f / aspect, 0.6f);
    c = &cc;
    camera_eye(c, eye);
    vec3 target = { c->target[0], c->target[1], c->target[2] };
    glm_lookat(eye, target, up, view);
    glm_perspective(glm_rad(c->fovy), aspect > 0 ? aspect : 1.0f, 0.05f, 100.0f, proj);
}

void camera_view_proj(const camera *c, float aspect, mat4 dest)
{
    CGLM_ALIGN_MAT mat4 view, proj;
    view_proj(c, aspect, view, proj);
    glm_mat4_mul(proj, view, dest);
}

void camera_ray(const camera *c, float aspect, float ndc_x, float ndc_y, vec3 origin, vec3 dir)
{
    CGLM_ALIGN_MAT mat4 vp, inv;
    camera_view_proj(c, aspect, vp);
    glm_mat4_inv(vp, inv);
    vec4 a = { ndc_x, ndc_y, -1, 1 }, b = { ndc_x, ndc_y, 1, 1 }, wa, wb;
    glm_mat4_mulv(inv, a, wa);
    glm_mat4_mulv(inv, b, wb);
    for (int i = 0; i < 3; i++) {
        origin[i] = wa[i] / wa[3];
        dir[i] = wb[i] / wb[3] - origin[i];
    }
    glm_vec3_normalize(dir);
}

float camera_diagonals(const camera *c) { return c->distance / (RENDER_DIAGONAL * FIT); }
