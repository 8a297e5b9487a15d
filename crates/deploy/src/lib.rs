//! Hot-reload deploys: what changed between two builds, and how to load it.
//!
//! [`Build::scan`] reads the `.beam` files of a build (ebin directories or a
//! release's `lib/*/ebin`); [`BuildDiff::new`] compares two builds by module
//! hash (`beam_lib:md5/1`); [`Plan::new`] orders the changed modules so that
//! each loads after the changed modules it depends on (cycles collapsed as
//! OTP's `systools_rc` collapses them), gives each an action (`load_module`,
//! `update` with `code_change`, `update supervisor`, `add_module`,
//! `delete_module`) and lists the risks a release engineer must know of.
//! [`SourceDiff::new`] compares two revisions of the sources through the
//! HIR ([`ide::ModuleShape`]): a module whose text changed but whose shape
//! did not changed only in formatting, comments or docs. [`Rollout`]
//! applies a plan to running nodes over Erlang distribution, node by node
//! ([`preflight`], [`commit`], [`verify`], [`rollback`]), keeping a
//! [`Journal`].

mod apply;
mod appup;
mod atomic_write;
mod build;
mod diff;
mod discover;
mod error;
mod eval;
mod journal;
mod ops;
mod order;
mod plan;
mod remote;
mod rollback;
mod rollout;
mod show;
mod source;
mod state;

pub use apply::{
    ApplyError, ApplyOptions, Binaries, CommitError, PlannedModule, Prepared, Side, commit,
    loaded_hashes, preflight, verify,
};
pub use appup::{Appup, appups, write_appups};
pub use build::{Build, ModuleBuild};
pub use diff::{BuildDiff, ModuleChange};
pub use discover::{RunningProcess, running_processes};
pub use error::DeployError;
pub use eval::eval_with;
pub use journal::{Journal, JournalEntry, NodeState};
pub use ops::{ObjectCode, Op, OpsOutcome, run_ops};
pub use order::load_order;
pub use plan::{Action, Plan, Risk, RiskKind, Step};
pub use remote::{Connection, LoadedState, RemoteError, state_of};
pub use rollback::rollback;
pub use rollout::{NodeReport, OnFailure, Rollout, RolloutOptions};
pub use show::show;
pub use source::{BrokenCaller, SourceChange, SourceDiff, SourceModule, SourceModuleDiff};
