#version 450
// Element-wise ops with broadcast of b over rows: OP_ADD (a + b), OP_MUL (a * b), OP_SWIGLU (silu(a) * b),
// OP_SCALE (a * scale). out may alias a.

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Out { float o[]; };

layout(push_constant) uniform Params {
    uint n;      // elements of a and out
    uint bSize;  // elements of b; b[i % bSize]
    float scale;
} p;

void main()
{
    const uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 256u;
    if (i >= p.n)
        return;
#if defined(OP_ADD)
    o[i] = a[i] + b[i % p.bSize];
#elif defined(OP_MUL)
    o[i] = a[i] * b[i % p.bSize];
#elif defined(OP_SWIGLU)
    const float v = a[i];
    o[i] = v / (1.0 + exp(-v)) * b[i % p.bSize];
#elif defined(OP_SCALE)
    o[i] = a[i] * p.scale;
#else
#error "define OP_*"
#endif
}
