#include "solvers/cvode_session.hpp"

#include "solvers/ode_integrator.hpp"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <sstream>

namespace memxbar::solvers {

struct cvode_session::impl {
    cvode_problem problem;
    SUNContext ctx = nullptr;
    void* mem = nullptr;
    N_Vector y = nullptr;
    N_Vector atol = nullptr;
    N_Vector scratch = nullptr;
    SUNMatrix A = nullptr;
    SUNLinearSolver LS = nullptr;
    std::vector<double> J;

    static int rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* user) {
        auto* self = static_cast<impl*>(user);
        return self->problem.rhs(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot), self->problem.user);
    }
    static int jac(sunrealtype t, N_Vector y, N_Vector, SUNMatrix Jm, void* user, N_Vector, N_Vector,
                   N_Vector) {
        auto* self = static_cast<impl*>(user);
        const std::size_t n = self->problem.n;
        const int rc = self->problem.jac(t, N_VGetArrayPointer(y), self->J.data(), self->problem.user);
        if (rc != 0) return rc;
        for (std::size_t r = 0; r < n; ++r)
            for (std::size_t c = 0; c < n; ++c)
                SM_ELEMENT_D(Jm, static_cast<sunindextype>(r), static_cast<sunindextype>(c)) =
                    self->J[r * n + c];
        return 0;
    }
    void check(int flag, const char* what) const {
        if (flag < 0) {
            std::ostringstream s;
            s << "CVODE " << what << " failed with flag " << flag << " (" << CVodeGetReturnFlagName(flag)
              << ")";
            throw integration_error(s.str());
        }
    }
};

cvode_session::cvode_session(const cvode_problem& problem, double t0, const double* y0)
    : d_(std::make_unique<impl>()) {
    auto& d = *d_;
    d.problem = problem;
    const auto n = static_cast<sunindextype>(problem.n);
    d.J.assign(problem.n * problem.n, 0.0);
    if (SUNContext_Create(nullptr, &d.ctx) != 0) throw integration_error("SUNContext_Create failed");
    d.y = N_VNew_Serial(n, d.ctx);
    d.atol = N_VNew_Serial(n, d.ctx);
    d.scratch = N_VNew_Serial(n, d.ctx);
    for (std::size_t k = 0; k < problem.n; ++k) {
        NV_Ith_S(d.y, k) = y0[k];
        NV_Ith_S(d.atol, k) = problem.atol[k];
    }
    d.mem = CVodeCreate(CV_BDF, d.ctx);
    d.check(CVodeInit(d.mem, impl::rhs, t0, d.y), "CVodeInit");
    d.check(CVodeSetUserData(d.mem, d_.get()), "CVodeSetUserData");
    d.check(CVodeSVtolerances(d.mem, problem.rtol, d.atol), "CVodeSVtolerances");
    d.A = SUNDenseMatrix(n, n, d.ctx);
    d.LS = SUNLinSol_Dense(d.y, d.A, d.ctx);
    d.check(CVodeSetLinearSolver(d.mem, d.LS, d.A), "CVodeSetLinearSolver");
    d.check(CVodeSetJacFn(d.mem, impl::jac), "CVodeSetJacFn");
    d.check(CVodeSetMaxNumSteps(d.mem, problem.max_steps), "CVodeSetMaxNumSteps");
    if (problem.max_step > 0.0) d.check(CVodeSetMaxStep(d.mem, problem.max_step), "CVodeSetMaxStep");
    // Silence CVODE's own stderr printing; we turn failures into exceptions with context.
    CVodeSetErrFile(d.mem, nullptr);
}

cvode_session::~cvode_session() {
    auto& d = *d_;
    if (d.mem) CVodeFree(&d.mem);
    if (d.LS) SUNLinSolFree(d.LS);
    if (d.A) SUNMatDestroy(d.A);
    if (d.y) N_VDestroy(d.y);
    if (d.atol) N_VDestroy(d.atol);
    if (d.scratch) N_VDestroy(d.scratch);
    if (d.ctx) SUNContext_Free(&d.ctx);
}

void cvode_session::reinit(double t0, const double* y0) {
    for (std::size_t k = 0; k < d_->problem.n; ++k)
        NV_Ith_S(d_->y, k) = y0[k];
    d_->check(CVodeReInit(d_->mem, t0, d_->y), "CVodeReInit");
}

double cvode_session::step(double t_stop) {
    d_->check(CVodeSetStopTime(d_->mem, t_stop), "CVodeSetStopTime");
    double t = 0.0;
    const int flag = CVode(d_->mem, t_stop, d_->y, &t, CV_ONE_STEP);
    if (flag < 0) {
        double h = 0.0;
        CVodeGetCurrentStep(d_->mem, &h);
        std::ostringstream s;
        s << "CVODE failed at t = " << t << " s (step " << h << " s) with flag " << flag << " ("
          << CVodeGetReturnFlagName(flag) << "); state:";
        for (std::size_t k = 0; k < d_->problem.n; ++k)
            s << ' ' << NV_Ith_S(d_->y, k);
        throw integration_error(s.str());
    }
    return t;
}

void cvode_session::interpolate(double t, double* out) const {
    const int flag = CVodeGetDky(d_->mem, t, 0, d_->scratch);
    d_->check(flag, "CVodeGetDky");
    for (std::size_t k = 0; k < d_->problem.n; ++k)
        out[k] = NV_Ith_S(d_->scratch, k);
}

const double* cvode_session::y() const {
    return N_VGetArrayPointer(d_->y);
}

long cvode_session::steps() const {
    long n = 0;
    CVodeGetNumSteps(d_->mem, &n);
    return n;
}

} // namespace memxbar::solvers
