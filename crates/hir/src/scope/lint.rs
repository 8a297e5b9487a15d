//! `erl_lint`'s variable checks, ported from OTP 25's `erl_lint.erl`
//! function by function (the names are its names), over a [`Body`].
//!
//! A variable table (`Vt`) is an ordered map from names to a state (bound,
//! exported from a construct, unsafe in one, or the stacktrace variable of a
//! `catch` clause being guarded), a usage (used or not) and the places that
//! bound it (`annos`, which the warnings point at). Beside `erl_lint`'s
//! fields each entry keeps `defs`, every binding occurrence that can reach
//! it, which is what occurrences resolve to. Functions that `erl_lint`
//! writes recursively over lists (`exprs`, `head`, lists as cons cells) walk
//! the list in order and fold the results from the right, which merges in
//! the same order without deep recursion.

use smallvec::{SmallVec, smallvec};
use smol_str::SmolStr;

use super::{
    Construct, ConstructKind, FunctionScopes, RecordTable, Resolution, ShadowedIn, VarDiagnostic,
    VarDiagnosticKind, VarRef,
};
use crate::body::{
    BinSegment, BinaryOp, Body, Callee, CatchClause, Clause, Expr, ExprId, FieldName, Generator,
    GeneratorPat, Guards, Literal, MapOp, Pat, PatId, Qualifier, RecordField, SymbolicMacro,
};

/// A variable's name, as its index in the sorted names of the body: keys
/// order as the names do.
type Key = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Bound,
    /// The stacktrace variable of a `catch` clause, in its guard.
    Stacktrace,
    Export(Construct),
    Unsafe(Construct),
}

impl State {
    /// Where `erl_lint`'s term order puts the state: atoms (`bound`,
    /// `stacktrace`) before tuples (`{export, _}` before `{unsafe, _}`).
    fn rank(self) -> u8 {
        match self {
            State::Bound => 0,
            State::Stacktrace => 1,
            State::Export(_) => 2,
            State::Unsafe(_) => 3,
        }
    }
}

#[derive(Debug)]
struct Entry {
    state: State,
    used: bool,
    /// Sorted.
    annos: Refs<VarRef>,
    /// Sorted.
    defs: Refs<PatId>,
}

/// Sorted places of one variable: nearly always one or two, kept inline
/// (tables are copied at every branch, as `erl_lint` copies them).
type Refs<T> = SmallVec<[T; 2]>;

impl Clone for Entry {
    /// A copy of the places as bytes (`SmallVec`'s own `clone` goes element
    /// by element): tables are copied at every branch.
    fn clone(&self) -> Entry {
        Entry {
            state: self.state,
            used: self.used,
            annos: SmallVec::from_slice(&self.annos),
            defs: SmallVec::from_slice(&self.defs),
        }
    }
}

impl Entry {
    fn new(state: State, used: bool, annos: Refs<VarRef>, defs: Refs<PatId>) -> Entry {
        Entry {
            state,
            used,
            annos,
            defs,
        }
    }
}

/// A variable table: entries sorted by key.
#[derive(Debug, Clone, Default)]
struct Vt(Vec<(Key, Entry)>);

fn union<T: Ord + Copy>(a: &[T], b: &[T]) -> Refs<T> {
    if a.is_empty() {
        return SmallVec::from_slice(b);
    }
    if b.is_empty() || a == b {
        return SmallVec::from_slice(a);
    }
    let mut out = SmallVec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

impl Vt {
    fn single(key: Key, entry: Entry) -> Vt {
        Vt(vec![(key, entry)])
    }

    fn find(&self, key: Key) -> Option<&Entry> {
        self.0
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|index| &self.0[index].1)
    }

    fn contains(&self, key: Key) -> bool {
        self.find(key).is_some()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `orddict:merge/3`: `both` decides for keys in both (`a`'s first).
    fn merge(a: &Vt, b: &Vt, mut both: impl FnMut(Key, &Entry, &Entry) -> Entry) -> Vt {
        if a.is_empty() {
            return b.clone();
        }
        if b.is_empty() {
            return a.clone();
        }
        let mut out = Vec::with_capacity(a.0.len() + b.0.len());
        let (mut i, mut j) = (0, 0);
        while i < a.0.len() && j < b.0.len() {
            let (ka, ea) = &a.0[i];
            let (kb, eb) = &b.0[j];
            match ka.cmp(kb) {
                std::cmp::Ordering::Less => {
                    out.push((*ka, ea.clone()));
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push((*kb, eb.clone()));
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    out.push((*ka, both(*ka, ea, eb)));
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend(a.0[i..].iter().cloned());
        out.extend(b.0[j..].iter().cloned());
        Vt(out)
    }

    /// [`Vt::merge`] of `a` and this table (as `b`) into this table, in
    /// place when `a` is small: for tables threaded through a sequence or
    /// gathered over a list, which grow by a few entries at each step and
    /// would otherwise be copied whole.
    fn merge_into(&mut self, a: &Vt, mut both: impl FnMut(Key, &Entry, &Entry) -> Entry) {
        // Past a few entries, one merge moves less than inserting each.
        const INSERTED_ONE_BY_ONE: usize = 8;
        if a.0.len() > INSERTED_ONE_BY_ONE || a.is_empty() || self.is_empty() {
            *self = Vt::merge(a, self, both);
            return;
        }
        // Keys in both come in key order, as a merge meets them.
        for (key, e1) in &a.0 {
            match self.0.binary_search_by_key(key, |(k, _)| *k) {
                Ok(index) => self.0[index].1 = both(*key, e1, &self.0[index].1),
                Err(index) => self.0.insert(index, (*key, e1.clone())),
            }
        }
    }

    fn filter(&self, mut keep: impl FnMut(Key, &Entry) -> bool) -> Vt {
        Vt(self
            .0
            .iter()
            .filter(|(key, entry)| keep(*key, entry))
            .cloned()
            .collect())
    }
}

/// A variable in both tables of a pattern merge: its merged entry (used),
/// and the places it is matched at when it was unused in either.
fn pattern_match(e1: &Entry, e2: &Entry) -> (Entry, Option<Refs<VarRef>>) {
    let annos = union(&e1.annos, &e2.annos);
    let match_annos = match (e1.used, e2.used) {
        (false, false) => Some(annos.clone()),
        (false, true) => Some(e1.annos.clone()),
        (true, false) => Some(e2.annos.clone()),
        (true, true) => None,
    };
    let entry = Entry::new(
        merge_state(e1.state, e2.state),
        true,
        annos,
        union(&e1.defs, &e2.defs),
    );
    (entry, match_annos)
}

/// A use of what `defs` bind; none when the variable was only ever used
/// (an unbound use that `erl_lint` reported once and then took as bound).
fn use_of(defs: &[PatId]) -> Resolution {
    if defs.is_empty() {
        Resolution::Unbound
    } else {
        Resolution::Use(defs.to_vec())
    }
}

fn merge_state(s1: State, s2: State) -> State {
    match (s1, s2) {
        (State::Unsafe(_), _) => s1,
        (_, State::Unsafe(_)) => s2,
        (State::Bound, _) => s2,
        (_, State::Bound) => s1,
        _ => s1,
    }
}

/// `vtupdate(Uvt, Vt0)`: `uvt`'s entries over `vt0`'s, states from `uvt`.
fn vtupdate(uvt: &Vt, vt0: &Vt) -> Vt {
    Vt::merge(uvt, vt0, |_, e1, e2| updated(e1, e2))
}

/// [`vtupdate`] of `uvt` over `vt0`, in `vt0`.
fn vtupdate_into(uvt: &Vt, vt0: &mut Vt) {
    vt0.merge_into(uvt, |_, e1, e2| updated(e1, e2));
}

/// A variable of both tables of [`vtupdate`]: `e1` over `e2`.
fn updated(e1: &Entry, e2: &Entry) -> Entry {
    Entry::new(
        e1.state,
        e1.used || e2.used,
        union(&e1.annos, &e2.annos),
        union(&e1.defs, &e2.defs),
    )
}

/// `vtmerge(Vt1, Vt2)`: errors first, then warnings.
fn vtmerge(vt1: &Vt, vt2: &Vt) -> Vt {
    Vt::merge(vt1, vt2, |_, e1, e2| {
        Entry::new(
            merge_state(e1.state, e2.state),
            e1.used || e2.used,
            union(&e1.annos, &e2.annos),
            union(&e1.defs, &e2.defs),
        )
    })
}

/// `vtnew(New, Old)`: the entries of `new` not in `old`.
fn vtnew(new: &Vt, old: &Vt) -> Vt {
    if old.is_empty() {
        return new.clone();
    }
    new.filter(|key, _| !old.contains(key))
}

/// `vtold(New, Old)`: the entries of `new` also in `old`.
fn vtold(new: &Vt, old: &Vt) -> Vt {
    if old.is_empty() {
        return Vt::default();
    }
    new.filter(|key, _| old.contains(key))
}

fn vtunsafe(construct: Construct, uvt: &Vt, vt: &Vt) -> Vt {
    let mut out = vtnew(uvt, vt);
    for (_, entry) in &mut out.0 {
        entry.state = State::Unsafe(construct);
    }
    out
}

fn vt_no_unsafe(vt: &Vt) -> Vt {
    vt.filter(|_, entry| !matches!(entry.state, State::Unsafe(_)))
}

fn vt_no_unused(vt: &Vt) -> Vt {
    vt.filter(|_, entry| entry.used)
}

/// Analyses every clause of `body`. With `records` (the records declared
/// before the function, by name, with their fields), the fields of an
/// undeclared record and the values of undeclared fields are left
/// unchecked, as `erl_lint` leaves them: their variables are neither bound
/// nor used.
pub(super) fn analyse(body: &Body, records: Option<&RecordTable>) -> FunctionScopes {
    let mut names: Vec<SmolStr> = body
        .pats()
        .filter_map(|(_, pat)| match pat {
            Pat::Var(name) => Some(name.clone()),
            _ => None,
        })
        .chain(body.exprs().filter_map(|(_, expr)| match expr {
            Expr::Var(name) => Some(name.clone()),
            _ => None,
        }))
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut lint = Lint {
        body,
        names,
        pats: vec![None; body.pat_count()],
        exprs: vec![None; body.expr_count()],
        diagnostics: Vec::new(),
        underscore_uses: Vec::new(),
        bvt: None,
        records,
    };
    for clause in &body.clauses {
        lint.clause(clause);
    }
    FunctionScopes {
        pats: lint.pats,
        exprs: lint.exprs,
        diagnostics: lint.diagnostics,
        underscore_uses: lint.underscore_uses,
    }
}

struct Lint<'a> {
    body: &'a Body,
    names: Vec<SmolStr>,
    pats: Vec<Option<Resolution>>,
    exprs: Vec<Option<Resolution>>,
    diagnostics: Vec<VarDiagnostic>,
    underscore_uses: Vec<(VarRef, SmolStr)>,
    /// The new variables of the binary pattern whose size expression is being
    /// checked (`#lint.bvt`).
    bvt: Option<Vt>,
    records: Option<&'a RecordTable>,
}

/// What a pattern check returns: the variables it used that were bound
/// before, and the new ones.
type PatVts = (Vt, Vt);

impl Lint<'_> {
    /// Whether `erl_lint` checks the value of `field` in a use of `record`:
    /// the record and the field are declared (or nothing is known of them).
    fn checks_field(&self, record: Option<&SmolStr>, field: Option<&SmolStr>) -> bool {
        let (Some(records), Some(record)) = (self.records, record) else {
            return true;
        };
        match records.get(record) {
            None => false,
            Some(fields) => field.is_none_or(|field| fields.contains(field)),
        }
    }

    fn key(&self, name: &str) -> Key {
        self.names
            .binary_search_by(|probe| probe.as_str().cmp(name))
            .unwrap_or(0) as Key
    }

    fn name(&self, key: Key) -> &SmolStr {
        &self.names[key as usize]
    }

    fn underscored(&self, key: Key) -> bool {
        self.name(key).starts_with('_')
    }

    fn report(&mut self, kind: VarDiagnosticKind, at: VarRef, key: Key) {
        let name = self.name(key).clone();
        self.diagnostics.push(VarDiagnostic { kind, at, name });
    }

    fn resolve(&mut self, at: VarRef, resolution: Resolution) {
        match at {
            VarRef::Pat(pat) => self.pats[pat.index()] = Some(resolution),
            VarRef::Expr(expr) => self.exprs[expr.index()] = Some(resolution),
        }
    }

    // ---- Variable tables that warn --------------------------------------

    /// `vtmerge_pat(VtA, VtB)`: a variable in both that was unused in either
    /// is matched in the pattern itself, so used (and `_X` warned about).
    fn vtmerge_pat(&mut self, vta: &Vt, vtb: &Vt) -> Vt {
        let mut matched: Vec<(Key, Refs<VarRef>)> = Vec::new();
        let merged = Vt::merge(vta, vtb, |key, e1, e2| {
            let (entry, match_annos) = pattern_match(e1, e2);
            if let Some(match_annos) = match_annos {
                matched.push((key, match_annos));
            }
            entry
        });
        self.warn_underscore_matches(matched);
        merged
    }

    /// [`Lint::vtmerge_pat`] of `vta` and `vtb`, in `vtb`.
    fn vtmerge_pat_into(&mut self, vta: &Vt, vtb: &mut Vt) {
        let mut matched: Vec<(Key, Refs<VarRef>)> = Vec::new();
        vtb.merge_into(vta, |key, e1, e2| {
            let (entry, match_annos) = pattern_match(e1, e2);
            if let Some(match_annos) = match_annos {
                matched.push((key, match_annos));
            }
            entry
        });
        self.warn_underscore_matches(matched);
    }

    fn warn_underscore_matches(&mut self, matched: Vec<(Key, Refs<VarRef>)>) {
        for (key, annos) in matched {
            if self.underscored(key) {
                for anno in annos {
                    self.report(VarDiagnosticKind::UnderscoreMatchInPattern, anno, key);
                }
            }
        }
    }

    fn shadow_vars(&mut self, vt: &Vt, vt0: &Vt, shadowed_in: ShadowedIn) {
        let shadowing = vtold(vt, &vt_no_unsafe(vt0));
        for (key, entry) in &shadowing.0 {
            if let Some(&anno) = entry.annos.first() {
                self.report(VarDiagnosticKind::Shadowed(shadowed_in), anno, *key);
            }
        }
    }

    /// `unused_vars` + `warn_unused_vars`: the unused new variables of `vt`
    /// (not in `vt0`), one warning per place that bound them.
    fn check_unused_vars(&mut self, vt: &Vt, vt0: &Vt) {
        for (key, entry) in &vt.0 {
            if entry.used || self.underscored(*key) || vt0.contains(*key) {
                continue;
            }
            for &anno in &entry.annos {
                self.report(VarDiagnosticKind::Unused, anno, *key);
            }
        }
    }

    fn check_old_unused_vars(&mut self, vt: &Vt, vt0: &Vt) {
        let old = vtold(vt, vt0);
        self.check_unused_vars(&old, &Vt::default());
    }

    /// Two or more occurrences of a new variable in one pattern: the first
    /// binds it, the others match it.
    fn settle_new(&mut self, new: &mut Vt) {
        for (_, entry) in &mut new.0 {
            if entry.defs.len() < 2 {
                continue;
            }
            let first = entry.defs[0];
            for &other in &entry.defs[1..] {
                let at = VarRef::Pat(other);
                self.resolve(at, Resolution::Use(vec![first]));
            }
            entry.defs.truncate(1);
        }
    }

    // ---- Variables ------------------------------------------------------

    /// `pat_var`: a variable in a pattern, new unless in `new` or `vt`.
    fn pat_var(&mut self, key: Key, pat: PatId, vt: &Vt, new: &Vt) -> PatVts {
        let at = VarRef::Pat(pat);
        if let Some(entry) = new.find(key) {
            let entry = entry.clone();
            self.warn_underscore_match(key, at);
            self.resolve(at, use_of(&entry.defs));
            let used = Entry::new(State::Bound, true, entry.annos, entry.defs);
            return (Vt::default(), Vt::single(key, used));
        }
        match vt.find(key).cloned() {
            Some(entry) => {
                match entry.state {
                    State::Unsafe(construct) => {
                        self.report(VarDiagnosticKind::Unsafe(construct), at, key);
                        self.resolve(
                            at,
                            Resolution::Unsafe {
                                bindings: entry.defs.to_vec(),
                                construct,
                            },
                        );
                    }
                    State::Export(from) => {
                        self.warn_underscore_match(key, at);
                        self.report(
                            VarDiagnosticKind::Exported {
                                from,
                                in_pattern: true,
                            },
                            at,
                            key,
                        );
                        self.resolve(at, use_of(&entry.defs));
                    }
                    State::Bound | State::Stacktrace => {
                        self.warn_underscore_match(key, at);
                        self.resolve(at, use_of(&entry.defs));
                    }
                }
                let used = Entry::new(State::Bound, true, entry.annos, entry.defs);
                (Vt::single(key, used), Vt::default())
            }
            None => {
                self.resolve(at, Resolution::Binding);
                let fresh = Entry::new(State::Bound, false, smallvec![at], smallvec![pat]);
                (Vt::default(), Vt::single(key, fresh))
            }
        }
    }

    fn warn_underscore_match(&mut self, key: Key, at: VarRef) {
        if self.underscored(key) {
            self.report(VarDiagnosticKind::UnderscoreMatch, at, key);
        }
    }

    /// A use: through `pat_binsize_var` inside a binary pattern's size,
    /// else `expr_var`.
    fn expr_var(&mut self, key: Key, expr: ExprId, vt: &Vt) -> Vt {
        if let Some(bvt) = self.bvt.take() {
            let (used, new) = self.pat_binsize_var(key, expr, vt, &bvt);
            self.bvt = Some(vtmerge(&bvt, &new));
            return used;
        }
        let at = VarRef::Expr(expr);
        match vt.find(key).cloned() {
            Some(entry) => {
                match entry.state {
                    State::Bound => self.resolve(at, use_of(&entry.defs)),
                    State::Unsafe(_) | State::Export(_) => {
                        self.use_unsafe_or_exported(at, key, &entry);
                    }
                    State::Stacktrace => {
                        self.report(VarDiagnosticKind::StacktraceInGuard, at, key);
                        self.resolve(at, use_of(&entry.defs));
                    }
                }
                self.note_underscore_use(key, at);
                Vt::single(key, Entry::new(State::Bound, true, entry.annos, entry.defs))
            }
            None => {
                self.report(VarDiagnosticKind::Unbound, at, key);
                self.resolve(at, Resolution::Unbound);
                Vt::single(
                    key,
                    Entry::new(State::Bound, true, smallvec![at], SmallVec::new()),
                )
            }
        }
    }

    /// A use of a variable that is unsafe after its construct, or exported
    /// from it (reported as with `warn_export_vars`), as `erl_lint` reports
    /// and resolves it; nothing for a variable in another state.
    fn use_unsafe_or_exported(&mut self, at: VarRef, key: Key, entry: &Entry) {
        match entry.state {
            State::Unsafe(construct) => {
                self.report(VarDiagnosticKind::Unsafe(construct), at, key);
                self.resolve(
                    at,
                    Resolution::Unsafe {
                        bindings: entry.defs.to_vec(),
                        construct,
                    },
                );
            }
            State::Export(from) => {
                self.report(
                    VarDiagnosticKind::Exported {
                        from,
                        in_pattern: false,
                    },
                    at,
                    key,
                );
                self.resolve(at, use_of(&entry.defs));
            }
            State::Bound | State::Stacktrace => {}
        }
    }

    fn note_underscore_use(&mut self, key: Key, at: VarRef) {
        if self.underscored(key) {
            let name = self.name(key).clone();
            self.underscore_uses.push((at, name));
        }
    }

    /// `pat_binsize_var`: a variable in the size of a binary pattern's
    /// segment, which uses the variables of `new` (bound earlier in the same
    /// binary) or of `vt`.
    fn pat_binsize_var(&mut self, key: Key, expr: ExprId, vt: &Vt, new: &Vt) -> PatVts {
        let at = VarRef::Expr(expr);
        if let Some(entry) = new.find(key).cloned() {
            self.resolve(at, use_of(&entry.defs));
            self.note_underscore_use(key, at);
            let used = Entry::new(State::Bound, true, entry.annos, entry.defs);
            return (Vt::default(), Vt::single(key, used));
        }
        match vt.find(key).cloned() {
            Some(entry) => {
                match entry.state {
                    State::Unsafe(_) | State::Export(_) => {
                        self.use_unsafe_or_exported(at, key, &entry);
                    }
                    State::Bound | State::Stacktrace => {
                        self.resolve(at, use_of(&entry.defs));
                    }
                }
                self.note_underscore_use(key, at);
                let used = Entry::new(State::Bound, true, entry.annos, entry.defs);
                (Vt::single(key, used), Vt::default())
            }
            None => {
                self.report(VarDiagnosticKind::Unbound, at, key);
                self.resolve(at, Resolution::Unbound);
                let used = Entry::new(State::Bound, true, smallvec![at], SmallVec::new());
                (Vt::single(key, used), Vt::default())
            }
        }
    }

    // ---- Clauses ----------------------------------------------------------

    /// `clause`: a clause of the function, on its own.
    fn clause(&mut self, clause: &Clause) {
        let vt0 = Vt::default();
        let (hvt, mut hnew) = self.head(&clause.pats, &vt0, &vt0);
        self.settle_new(&mut hnew);
        let vt1 = vtupdate(&hvt, &vtupdate(&hnew, &vt0));
        let gvt = self.guard(&clause.guards, &vt1);
        let vt2 = vtupdate(&gvt, &vt1);
        let bvt = self.exprs(&clause.body, &vt2);
        let upd = vtupdate(&bvt, &vt2);
        self.check_unused_vars(&upd, &vt0);
    }

    /// `head(Ps, Vt, Old)`.
    fn head(&mut self, pats: &[PatId], vt: &Vt, old: &Vt) -> PatVts {
        let results: Vec<PatVts> = pats.iter().map(|&p| self.pattern(p, vt, old)).collect();
        let mut acc = (Vt::default(), Vt::default());
        for (pvt, pnew) in results.into_iter().rev() {
            self.vtmerge_pat_into(&pvt, &mut acc.0);
            self.vtmerge_pat_into(&pnew, &mut acc.1);
        }
        acc
    }

    /// `icrt_clause`: a clause of `if`, `case`, `receive` or `try ... of`.
    fn icrt_clause(&mut self, pats: &[PatId], guards: &Guards, body: &[ExprId], vt0: &Vt) -> Vt {
        let (hvt, mut hnew) = self.head(pats, vt0, vt0);
        self.settle_new(&mut hnew);
        let vt1 = vtupdate(&hvt, &hnew);
        let gvt = self.guard(guards, &vtupdate(&vt1, vt0));
        let vt2 = vtupdate(&gvt, &vt1);
        let bvt = self.exprs(body, &vtupdate(&vt2, vt0));
        vtupdate(&bvt, &vt2)
    }

    /// `catch_clause`: the head is the tuple `{Class, Reason, Stack}`.
    fn catch_clause(&mut self, clause: &CatchClause, vt0: &Vt) -> Vt {
        let parts: Vec<PatId> = clause
            .class
            .into_iter()
            .chain([clause.reason])
            .chain(clause.stack)
            .collect();
        let (hvt, mut hnew) = self.pattern_list(&parts, vt0, vt0);
        self.settle_new(&mut hnew);
        let vt1 = vtupdate(&hvt, &hnew);
        let mut guard_vt = vtupdate(&vt1, vt0);
        if let Some(stack) = clause.stack
            && let Pat::Var(name) = &self.body[stack]
        {
            // `taint_stack_var`.
            let key = self.key(name);
            let at = VarRef::Pat(stack);
            if guard_vt.find(key).is_some_and(|entry| entry.used) {
                self.report(VarDiagnosticKind::StacktraceBound, at, key);
            }
            let tainted = Entry::new(State::Stacktrace, false, smallvec![at], smallvec![stack]);
            guard_vt = vtupdate(&Vt::single(key, tainted), &guard_vt);
        }
        let gvt = self.guard(&clause.guards, &guard_vt);
        let vt2 = vtupdate(&gvt, &vt1);
        let bvt = self.exprs(&clause.body, &vtupdate(&vt2, vt0));
        vtupdate(&bvt, &vt2)
    }

    /// `icrt_export`: what the clauses of a construct leave bound after it.
    fn icrt_export(&mut self, vts: Vec<Vt>, vt: &Vt, construct: Construct) -> Vt {
        let count = vts.len();
        let mut all: Vec<(Key, Entry)> = vts.into_iter().flat_map(|vt| vt.0).collect();
        // `lists:merge/1` orders entries of one variable by term order.
        all.sort_by_key(|(key, entry)| (*key, entry.state.rank(), entry.used));
        let mut out = Vec::new();
        let mut start = 0;
        while start < all.len() {
            let key = all[start].0;
            let end = start + all[start..].iter().take_while(|(k, _)| *k == key).count();
            let group = &all[start..end];
            start = end;
            let defs = group
                .iter()
                .fold(SmallVec::new(), |acc, (_, entry)| union(&acc, &entry.defs));
            if let Some(outer) = vt.find(key) {
                let defs = union(&outer.defs, &defs);
                let state = match (group[0].1.state, outer.state) {
                    (State::Export(_), State::Export(_)) => group[1..]
                        .iter()
                        .fold(outer.state, |acc, (_, entry)| merge_state(acc, entry.state)),
                    _ => State::Bound,
                };
                out.push((key, Entry::new(state, true, outer.annos.clone(), defs)));
                continue;
            }
            let mut state = State::Export(construct);
            let mut annos: Refs<VarRef> = SmallVec::new();
            for (_, entry) in group {
                state = match (entry.state, state) {
                    (State::Unsafe(_), State::Unsafe(_)) => State::Unsafe(construct),
                    (State::Unsafe(_), _) => entry.state,
                    _ => state,
                };
                if !entry.used {
                    annos = union(&annos, &entry.annos);
                }
            }
            if group.len() != count {
                state = State::Unsafe(construct);
            }
            let used = annos.is_empty();
            out.push((key, Entry::new(state, used, annos, defs)));
        }
        Vt(out)
    }

    // ---- Guards -----------------------------------------------------------

    fn guard(&mut self, guards: &Guards, vt: &Vt) -> Vt {
        self.sequence(&guards.0, vt, |lint, tests, vt| lint.guard_tests(tests, vt))
    }

    fn guard_tests(&mut self, tests: &[ExprId], vt: &Vt) -> Vt {
        self.sequence(tests, vt, |lint, &test, vt| lint.gexpr(test, vt))
    }

    /// `step` on each of `items` in turn, each seeing what the ones before
    /// bound; what they all bound, later tables over earlier ones.
    fn sequence<T>(
        &mut self,
        items: &[T],
        vt: &Vt,
        mut step: impl FnMut(&mut Self, &T, &Vt) -> Vt,
    ) -> Vt {
        match items {
            [] => return Vt::default(),
            // The common case, without copying `vt`.
            [only] => return step(self, only, vt),
            _ => {}
        }
        let mut results = Vec::with_capacity(items.len());
        let mut current = vt.clone();
        for (index, item) in items.iter().enumerate() {
            let result = step(self, item, &current);
            if index + 1 < items.len() {
                vtupdate_into(&result, &mut current);
            }
            results.push(result);
        }
        results.iter().rev().fold(Vt::default(), |mut acc, result| {
            vtupdate_into(result, &mut acc);
            acc
        })
    }

    fn gexpr_list(&mut self, exprs: &[ExprId], vt: &Vt) -> Vt {
        let mut acc = Vt::default();
        for &expr in exprs {
            let evt = self.gexpr(expr, vt);
            acc = vtmerge(&evt, &acc);
        }
        acc
    }

    /// `gexpr`: an expression of a guard (or of a map key or a binary
    /// size in a pattern). What is not allowed in guards is not looked into.
    fn gexpr(&mut self, id: ExprId, vt: &Vt) -> Vt {
        let body = self.body;
        match &body[id] {
            Expr::Var(name) => {
                let key = self.key(name);
                self.expr_var(key, id, vt)
            }
            Expr::List { elems, tail } => self.cons(elems, *tail, vt, true),
            Expr::Tuple(elems) => self.gexpr_list(elems, vt),
            Expr::Map(fields) => self.map_fields(fields, vt, true),
            Expr::MapUpdate { base, fields } => {
                let svt = self.gexpr(*base, vt);
                let fvt = self.map_fields(fields, vt, true);
                vtmerge(&svt, &fvt)
            }
            Expr::RecordField { base, .. } => self.gexpr(*base, vt),
            Expr::Record { name, fields } => self.check_fields(name.as_ref(), fields, vt, true),
            Expr::Binary(segments) => self.expr_bin(segments, vt, true),
            Expr::Call { callee, args } => {
                let allowed = match callee {
                    Callee::Local(function) => matches!(body[*function], Expr::Atom(_)),
                    Callee::Remote { module, function } => {
                        matches!(&body[*module], Expr::Atom(m) if m == "erlang")
                            && matches!(body[*function], Expr::Atom(_))
                    }
                };
                if allowed {
                    self.gexpr_list(args, vt)
                } else {
                    Vt::default()
                }
            }
            Expr::UnaryOp { expr, .. } => self.gexpr(*expr, vt),
            Expr::BinaryOp { lhs, rhs, .. } => self.gexpr_list(&[*lhs, *rhs], vt),
            Expr::MacroCall {
                args: Some(args), ..
            } => self.gexpr_list(args, vt),
            _ => Vt::default(),
        }
    }

    // ---- Expressions ------------------------------------------------------

    /// `exprs`: a sequence, each seeing what the ones before bound.
    fn exprs(&mut self, exprs: &[ExprId], vt: &Vt) -> Vt {
        self.sequence(exprs, vt, |lint, &expr, vt| lint.expr(expr, vt))
    }

    /// `expr_list`: expressions that all see the same variables.
    fn expr_list(&mut self, exprs: &[ExprId], vt: &Vt) -> Vt {
        let mut acc = Vt::default();
        for &expr in exprs {
            let evt = self.expr(expr, vt);
            self.vtmerge_pat_into(&evt, &mut acc);
        }
        acc
    }

    /// A list as cons cells: `expr_list([H, T])` (`gexpr_list` in guards).
    fn cons(&mut self, elems: &[ExprId], tail: Option<ExprId>, vt: &Vt, guard: bool) -> Vt {
        let mut results = Vec::with_capacity(elems.len());
        for &elem in elems {
            results.push(if guard {
                self.gexpr(elem, vt)
            } else {
                self.expr(elem, vt)
            });
        }
        let mut acc = match tail {
            Some(tail) if guard => self.gexpr(tail, vt),
            Some(tail) => self.expr(tail, vt),
            None => Vt::default(),
        };
        for hvt in results.iter().rev() {
            acc = if guard {
                vtmerge(&acc, hvt)
            } else {
                self.vtmerge_pat(&acc, hvt)
            };
        }
        acc
    }

    fn check(&mut self, expr: ExprId, vt: &Vt, guard: bool) -> Vt {
        if guard {
            self.gexpr(expr, vt)
        } else {
            self.expr(expr, vt)
        }
    }

    /// `map_fields`: each field's key and value, later fields first.
    fn map_fields(&mut self, fields: &[crate::body::MapField], vt: &Vt, guard: bool) -> Vt {
        let mut results = Vec::with_capacity(fields.len());
        for field in fields {
            results.push(if guard {
                self.gexpr_list(&[field.key, field.value], vt)
            } else {
                self.expr_list(&[field.key, field.value], vt)
            });
        }
        results.iter().rev().fold(Vt::default(), |mut acc, pvt| {
            vtupdate_into(pvt, &mut acc);
            acc
        })
    }

    /// `check_fields` of record creation and update: each field once.
    fn check_fields(
        &mut self,
        record: Option<&SmolStr>,
        fields: &[RecordField<ExprId>],
        vt: &Vt,
        guard: bool,
    ) -> Vt {
        let mut seen: Vec<Option<&SmolStr>> = Vec::new();
        let mut acc = Vt::default();
        for field in fields {
            let name = match &field.name {
                FieldName::Name(name) => Some(name),
                FieldName::Wildcard => None,
                FieldName::Missing => continue,
            };
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            if !self.checks_field(record, name) {
                continue;
            }
            let vtb = self.check(field.value, vt, guard);
            acc = self.vtmerge_pat(&acc, &vtb);
        }
        acc
    }

    /// `expr_bin`: each segment's value and size.
    fn expr_bin(&mut self, segments: &[BinSegment<ExprId>], vt: &Vt, guard: bool) -> Vt {
        let mut acc = Vt::default();
        for segment in segments {
            let vt1 = self.check(segment.value, vt, guard);
            let vt2 = match segment.size {
                Some(size) if !matches!(&self.body[size], Expr::Atom(all) if all == "all") => {
                    self.check(size, vt, guard)
                }
                _ => Vt::default(),
            };
            acc = vtmerge(&acc, &vtmerge(&vt1, &vt2));
        }
        acc
    }

    fn construct(kind: ConstructKind, expr: ExprId) -> Construct {
        Construct { kind, expr }
    }

    /// `expr`: an expression; what it binds and uses.
    fn expr(&mut self, id: ExprId, vt: &Vt) -> Vt {
        let body = self.body;
        match &body[id] {
            Expr::Missing
            | Expr::Atom(_)
            | Expr::Literal(_)
            | Expr::StringConcat(_)
            | Expr::Symbolic(_)
            | Expr::MacroString(_)
            | Expr::RecordIndex { .. } => Vt::default(),
            // `M:F` outside a call is an error, not looked into.
            Expr::Remote { .. } => Vt::default(),
            Expr::Var(name) => {
                let key = self.key(name);
                self.expr_var(key, id, vt)
            }
            Expr::MacroCall { args, .. } => match args {
                Some(args) => self.expr_list(args, vt),
                None => Vt::default(),
            },
            Expr::Match { pat, expr } | Expr::MaybeMatch { pat, expr } => {
                let evt = self.expr(*expr, vt);
                let vt1 = vtupdate(&evt, vt);
                let (pvt, mut pnew) = self.pattern(*pat, &vt1, &vt1);
                self.settle_new(&mut pnew);
                vtupdate(&pnew, &vtmerge(&evt, &pvt))
            }
            Expr::UnaryOp { expr, .. } => self.expr(*expr, vt),
            Expr::BinaryOp {
                op: op @ (BinaryOp::AndAlso | BinaryOp::OrElse),
                lhs,
                rhs,
            } => {
                let evt1 = self.expr(*lhs, vt);
                let vt1 = vtupdate(&evt1, vt);
                let evt2 = self.expr(*rhs, &vt1);
                let kind = if *op == BinaryOp::AndAlso {
                    ConstructKind::AndAlso
                } else {
                    ConstructKind::OrElse
                };
                let unsafe_ = vtunsafe(Self::construct(kind, id), &evt2, &vt1);
                let evt3 = vtupdate(&unsafe_, &evt2);
                vtmerge(&evt1, &evt3)
            }
            Expr::BinaryOp { lhs, rhs, .. } => self.expr_list(&[*lhs, *rhs], vt),
            Expr::Catch(expr) => {
                let evt = self.expr(*expr, vt);
                let unsafe_ = vtunsafe(Self::construct(ConstructKind::Catch, id), &evt, vt);
                vtupdate(&unsafe_, &evt)
            }
            Expr::Tuple(elems) => self.expr_list(elems, vt),
            Expr::List { elems, tail } => self.cons(elems, *tail, vt, false),
            Expr::Binary(segments) => self.expr_bin(segments, vt, false),
            Expr::Map(fields) => self.map_fields(fields, vt, false),
            Expr::MapUpdate { base, fields } => {
                let svt = self.expr(*base, vt);
                let fvt = self.map_fields(fields, vt, false);
                vtupdate(&svt, &fvt)
            }
            Expr::Record { name, fields } => self.check_fields(name.as_ref(), fields, vt, false),
            Expr::RecordUpdate { base, name, fields } => {
                let rvt = self.expr(*base, vt);
                let usvt = self.check_fields(name.as_ref(), fields, vt, false);
                if fields.iter().any(|f| f.name == FieldName::Wildcard) {
                    // `wildcard_in_update`: an error, and nothing returned.
                    Vt::default()
                } else {
                    vtmerge(&rvt, &usvt)
                }
            }
            Expr::RecordField { base, .. } => self.expr(*base, vt),
            Expr::Call { callee, args } => {
                let mut all = Vec::with_capacity(args.len() + 2);
                match callee {
                    Callee::Local(function) => all.push(*function),
                    Callee::Remote { module, function } => {
                        all.push(*module);
                        all.push(*function);
                    }
                }
                all.extend_from_slice(args);
                self.expr_list(&all, vt)
            }
            Expr::Block(exprs) => self.exprs(exprs, vt),
            Expr::Case { expr, clauses } => {
                let evt = self.expr(*expr, vt);
                let vt1 = vtupdate(&evt, vt);
                let vts = clauses
                    .iter()
                    .map(|clause| {
                        self.icrt_clause(&[clause.pat], &clause.guards, &clause.body, &vt1)
                    })
                    .collect();
                let construct = Self::construct(ConstructKind::Case, id);
                let cvt = self.icrt_export(vts, &vt1, construct);
                vtmerge(&evt, &cvt)
            }
            Expr::If(clauses) => {
                let vts = clauses
                    .iter()
                    .map(|clause| self.icrt_clause(&[], &clause.guards, &clause.body, vt))
                    .collect();
                self.icrt_export(vts, vt, Self::construct(ConstructKind::If, id))
            }
            Expr::Receive { clauses, after } => {
                let construct = Self::construct(ConstructKind::Receive, id);
                match after {
                    None => {
                        let vts = clauses
                            .iter()
                            .map(|c| self.icrt_clause(&[c.pat], &c.guards, &c.body, vt))
                            .collect();
                        self.icrt_export(vts, vt, construct)
                    }
                    Some(after) => {
                        // Variables of the timeout are not seen in the clauses.
                        let tvt = self.expr(after.timeout, vt);
                        let tevt = self.exprs(&after.body, vt);
                        let mut vts = vec![tevt.clone()];
                        for c in clauses {
                            vts.push(self.icrt_clause(&[c.pat], &c.guards, &c.body, vt));
                        }
                        let rvt = self.icrt_export(vts, vt, construct);
                        vtmerge(&rvt, &vtmerge(&tevt, &tvt))
                    }
                }
            }
            Expr::Try {
                exprs,
                of_clauses,
                catch_clauses,
                after,
            } => {
                // Only the try expressions' variables reach the `of`
                // clauses; everything new is unsafe after the `try`.
                let construct = Self::construct(ConstructKind::Try, id);
                let evt0 = self.exprs(exprs, vt);
                let uvt = vtunsafe(construct, &evt0, vt);
                let of_vt = vtupdate(&evt0, vt);
                let mut vts: Vec<Vt> = of_clauses
                    .iter()
                    .map(|c| self.icrt_clause(&[c.pat], &c.guards, &c.body, &of_vt))
                    .collect();
                let catch_vt = vtupdate(&uvt, &of_vt);
                for clause in catch_clauses {
                    vts.push(self.catch_clause(clause, &catch_vt));
                }
                let sccs = self.icrt_export(vts, &of_vt, construct);
                let evt1 = vtupdate(&uvt, &evt0);
                let rvt1 = vtupdate(&vtunsafe(construct, &sccs, vt), &sccs);
                let evt2 = vtmerge(&evt1, &rvt1);
                let avt0 = self.exprs(after, &vtupdate(&evt2, vt));
                let avt1 = vtupdate(&vtunsafe(construct, &avt0, vt), &avt0);
                vtmerge(&evt2, &avt1)
            }
            Expr::Maybe {
                exprs,
                else_clauses,
            } => {
                let maybe = Self::construct(ConstructKind::Maybe, id);
                let evt0 = self.exprs(exprs, vt);
                let evt1 = vtupdate(&vtunsafe(maybe, &evt0, vt), vt);
                let evt2 = vtmerge(&evt0, &evt1);
                match else_clauses {
                    None => evt2,
                    Some(clauses) => {
                        let else_ = Self::construct(ConstructKind::Else, id);
                        let vts = clauses
                            .iter()
                            .map(|c| self.icrt_clause(&[c.pat], &c.guards, &c.body, &evt1))
                            .collect();
                        let cvt0 = self.icrt_export(vts, &evt1, else_);
                        let cvt1 = vtupdate(&vtunsafe(else_, &cvt0, vt), vt);
                        let cvt2 = vtmerge(&cvt0, &cvt1);
                        vtmerge(&evt2, &cvt2)
                    }
                }
            }
            Expr::Fun {
                name: None,
                clauses,
            } => self.fun_clauses(clauses, vt),
            Expr::Fun {
                name: Some(name_pat),
                clauses,
            } => {
                let Pat::Var(name) = &body[*name_pat] else {
                    return self.fun_clauses(clauses, vt);
                };
                let key = self.key(name);
                let at = VarRef::Pat(*name_pat);
                self.resolve(at, Resolution::Binding);
                let nvt0 = Vt::single(
                    key,
                    Entry::new(State::Bound, false, smallvec![at], smallvec![*name_pat]),
                );
                self.shadow_vars(&nvt0, vt, ShadowedIn::NamedFun);
                let nvt1 = vtupdate(&vtnew(vt, &nvt0), &nvt0);
                let csvt = self.fun_clauses(clauses, &nvt1);
                self.check_unused_vars(&vtupdate(&csvt, &nvt0), &Vt::default());
                vtold(&csvt, vt)
            }
            Expr::FunRef {
                module: Some(module),
                function,
                arity,
            } => self.expr_list(&[*module, *function, *arity], vt),
            Expr::FunRef { module: None, .. } => Vt::default(),
            Expr::ListComprehension { expr, qualifiers }
            | Expr::BinaryComprehension { expr, qualifiers } => {
                self.handle_comprehension(&[*expr], qualifiers, vt)
            }
            Expr::MapComprehension {
                key,
                value,
                qualifiers,
            } => self.handle_comprehension(&[*key, *value], qualifiers, vt),
        }
    }

    // ---- Funs and comprehensions ------------------------------------------

    /// `fun_clauses`: a fun exports nothing; what it returns is the outer
    /// variables it used.
    fn fun_clauses(&mut self, clauses: &[Clause], vt: &Vt) -> Vt {
        let mut bvt = Vt::default();
        for clause in clauses {
            let cvt = self.fun_clause(clause, vt);
            bvt = vtmerge(&cvt, &bvt);
        }
        vt_no_unsafe(&vt_no_unused(&vtold(&bvt, vt)))
    }

    fn fun_clause(&mut self, clause: &Clause, vt0: &Vt) -> Vt {
        // No outer variables are matched in the head: they are shadowed.
        let (hvt, mut hnew) = self.head(&clause.pats, vt0, &Vt::default());
        self.settle_new(&mut hnew);
        let vt1 = vtupdate(&hvt, vt0);
        self.shadow_vars(&hnew, vt0, ShadowedIn::Fun);
        let vt2 = vtupdate(&vtnew(&vt1, &hnew), &hnew);
        let gvt = self.guard(&clause.guards, &vt2);
        let vt3 = vtupdate(&gvt, &vt2);
        let bvt = self.exprs(&clause.body, &vt3);
        let cvt = vtupdate(&bvt, &vt3);
        self.check_unused_vars(&cvt, vt0);
        let svt = vtold(&vt1, &hnew);
        self.check_old_unused_vars(&cvt, &svt);
        let vt4 = vtmerge(&svt, &vtnew(&cvt, &svt));
        vtold(&vt4, vt0)
    }

    /// `handle_comprehension`: generator patterns and everything they bind
    /// stay inside.
    fn handle_comprehension(
        &mut self,
        template: &[ExprId],
        qualifiers: &[Qualifier],
        vt0: &Vt,
    ) -> Vt {
        let (vt1, uvt) = self.lc_quals(qualifiers, vt0);
        let evt = if let [expr] = template {
            self.expr(*expr, &vt1)
        } else {
            self.expr_list(template, &vt1)
        };
        let vt2 = vtupdate(&evt, &vt1);
        self.check_old_unused_vars(&vt2, &uvt);
        self.check_unused_vars(&uvt, vt0);
        self.check_unused_vars(&vt2, vt0);
        let vt3 = vtmerge(&vtnew(&vt2, &uvt), &uvt);
        let vt4 = vtold(&vt3, vt0);
        vt_no_unsafe(&vt_no_unused(&vt4))
    }

    /// `lc_quals`: the table after the qualifiers, and the states of the
    /// variables the generators shadowed.
    fn lc_quals(&mut self, qualifiers: &[Qualifier], vt0: &Vt) -> (Vt, Vt) {
        let mut vt = vt0.clone();
        let mut uvt = Vt::default();
        for qualifier in qualifiers {
            match qualifier {
                Qualifier::Generator(generator) => {
                    (vt, uvt) = self.handle_generators(std::slice::from_ref(generator), &vt, &uvt);
                }
                Qualifier::Zip(generators) => {
                    if !generators.is_empty() {
                        (vt, uvt) = self.handle_generators(generators, &vt, &uvt);
                    }
                }
                Qualifier::Filter(filter) => {
                    let fvt = self.expr(*filter, &vt);
                    vtupdate_into(&fvt, &mut vt);
                }
            }
        }
        (vt, uvt)
    }

    /// `handle_generator` (and OTP 28's `handle_generators` for a zip: the
    /// sources first, each seeing the ones before, then all patterns).
    fn handle_generators(&mut self, generators: &[Generator], vt: &Vt, uvt: &Vt) -> (Vt, Vt) {
        let sources: Vec<ExprId> = generators.iter().map(|g| g.source).collect();
        let evt = if let [source] = sources.as_slice() {
            self.expr(*source, vt)
        } else {
            self.exprs(&sources, vt)
        };
        let vt1 = vtupdate(&vtold(&evt, vt), vt);
        self.check_unused_vars(&evt, vt);
        let (pvt, mut pnew) = self.comprehension_pattern(generators, &vt1);
        self.settle_new(&mut pnew);
        let vt2 = vtupdate(&pvt, &vt1);
        self.shadow_vars(&pnew, &vt1, ShadowedIn::Generate);
        let svt = vtold(&vt2, &pnew);
        self.check_old_unused_vars(&svt, uvt);
        let nuvt = vtupdate(&vtnew(&svt, uvt), uvt);
        let vt3 = vtupdate(&vtnew(&vt2, &pnew), &pnew);
        (vt3, nuvt)
    }

    /// `comprehension_pattern`: the patterns of generators, shadowing.
    fn comprehension_pattern(&mut self, generators: &[Generator], vt: &Vt) -> PatVts {
        let none = Vt::default();
        match generators {
            [generator] => match generator.pat {
                GeneratorPat::Pat(pat) => self.pattern(pat, vt, &none),
                GeneratorPat::MapEntry { key, value } => {
                    self.pattern_list(&[key, value], vt, &none)
                }
            },
            _ => {
                let mut pats = Vec::new();
                let mut keys = Vec::new();
                let mut values = Vec::new();
                for generator in generators {
                    match generator.pat {
                        GeneratorPat::Pat(pat) => pats.push(pat),
                        GeneratorPat::MapEntry { key, value } => {
                            keys.push(key);
                            values.push(value);
                        }
                    }
                }
                pats.extend(keys);
                pats.extend(values);
                self.pattern_list(&pats, vt, &none)
            }
        }
    }

    // ---- Patterns ---------------------------------------------------------

    fn pattern_list(&mut self, pats: &[PatId], vt: &Vt, old: &Vt) -> PatVts {
        let mut acc = (Vt::default(), Vt::default());
        for &pat in pats {
            let (pvt, pnew) = self.pattern(pat, vt, old);
            self.vtmerge_pat_into(&pvt, &mut acc.0);
            let new = self.vtmerge_pat(&acc.1, &pnew);
            acc.1 = new;
        }
        acc
    }

    /// `pattern(P, Vt, Old)`: `vt` is what map keys and binary sizes see,
    /// `old` what is matched rather than bound (empty where patterns shadow).
    fn pattern(&mut self, id: PatId, vt: &Vt, old: &Vt) -> PatVts {
        let body = self.body;
        let none = || (Vt::default(), Vt::default());
        match &body[id] {
            Pat::Var(name) => {
                let key = self.key(name);
                self.pat_var(key, id, old, &Vt::default())
            }
            Pat::List { elems, tail } => {
                let mut results = Vec::with_capacity(elems.len());
                for &elem in elems {
                    results.push(self.pattern(elem, vt, old));
                }
                let mut acc = match tail {
                    Some(tail) => self.pattern(*tail, vt, old),
                    None => none(),
                };
                for (hvt, hnew) in results.into_iter().rev() {
                    self.vtmerge_pat_into(&hvt, &mut acc.0);
                    self.vtmerge_pat_into(&hnew, &mut acc.1);
                }
                acc
            }
            Pat::Tuple(elems) => self.pattern_list(elems, vt, old),
            Pat::Map(fields) => {
                let mut acc = none();
                for field in fields {
                    // `=>` in a pattern is an error, not looked into.
                    if field.op == MapOp::Assoc {
                        continue;
                    }
                    let kvt = self.gexpr(field.key, vt);
                    let (vvt, vnew) = self.pattern(field.value, vt, old);
                    let vt1 = self.vtmerge_pat(&kvt, &vvt);
                    let vt2 = self.vtmerge_pat(&vt1, &acc.0);
                    let new = self.vtmerge_pat(&acc.1, &vnew);
                    acc = (vt2, new);
                }
                acc
            }
            Pat::Record {
                name: record,
                fields,
            } => {
                let mut seen: Vec<Option<&SmolStr>> = Vec::new();
                let mut acc = none();
                for field in fields {
                    let name = match &field.name {
                        FieldName::Name(name) => Some(name),
                        FieldName::Wildcard => None,
                        FieldName::Missing => continue,
                    };
                    if seen.contains(&name) {
                        continue;
                    }
                    seen.push(name);
                    if !self.checks_field(record.as_ref(), name) {
                        // `erl_lint`'s `pattern_fields` takes the undefined
                        // field's result as having no new variables, which
                        // drops those of the fields before it.
                        let declared = self
                            .records
                            .zip(record.as_ref())
                            .is_some_and(|(records, record)| records.contains_key(record));
                        if declared {
                            acc.1 = Vt::default();
                        }
                        continue;
                    }
                    let (vtb, newb) = self.pattern(field.value, vt, old);
                    let vt1 = self.vtmerge_pat(&acc.0, &vtb);
                    let new = self.vtmerge_pat(&acc.1, &newb);
                    acc = (vt1, new);
                }
                acc
            }
            Pat::Binary(segments) => self.pattern_bin(segments, vt, old),
            Pat::Match { lhs, rhs } => {
                let (lvt, lnew) = self.pattern(*lhs, vt, old);
                let (rvt, rnew) = self.pattern(*rhs, vt, old);
                let vt1 = self.vtmerge_pat(&lvt, &rvt);
                let new = self.vtmerge_pat(&lnew, &rnew);
                (vt1, new)
            }
            Pat::BinaryOp {
                op: BinaryOp::Append,
                lhs,
                rhs,
            } if self.is_string_prefix(*lhs) => self.pattern(*rhs, vt, old),
            // Constant expressions (and what is no pattern) bind nothing.
            Pat::Missing
            | Pat::Wildcard
            | Pat::Atom(_)
            | Pat::Literal(_)
            | Pat::StringConcat(_)
            | Pat::Symbolic(_)
            | Pat::MacroCall { .. }
            | Pat::RecordIndex { .. }
            | Pat::UnaryOp { .. }
            | Pat::BinaryOp { .. }
            | Pat::Expr(_) => none(),
        }
    }

    /// Whether `pat` can stand before `++` in a pattern: a string, or a list
    /// of characters and integers ending in `[]` or a string.
    fn is_string_prefix(&self, pat: PatId) -> bool {
        let body = self.body;
        let mut current = pat;
        loop {
            match &body[current] {
                Pat::Literal(Literal::String(_))
                | Pat::StringConcat(_)
                | Pat::Symbolic(SymbolicMacro::File) => return true,
                Pat::List { elems, tail } => {
                    let heads_ok = elems.iter().all(|&elem| {
                        matches!(
                            body[elem],
                            Pat::Literal(Literal::Char(_) | Literal::Integer(_))
                                | Pat::Symbolic(SymbolicMacro::Line)
                        )
                    });
                    if !heads_ok {
                        return false;
                    }
                    match tail {
                        None => return true,
                        Some(tail) => current = *tail,
                    }
                }
                _ => return false,
            }
        }
    }

    /// `pattern_bin`: each segment's value binds, its size uses what the
    /// segments before it bound or what was bound before the pattern.
    fn pattern_bin(&mut self, segments: &[BinSegment<PatId>], vt: &Vt, old: &Vt) -> PatVts {
        let mut esvt = Vt::default();
        let mut esnew = Vt::default();
        for segment in segments {
            let (pevt, penew) = match &self.body[segment.value] {
                Pat::Var(name) => {
                    let key = self.key(name);
                    self.pat_var(key, segment.value, old, &esnew)
                }
                _ => (Vt::default(), Vt::default()),
            };
            let (szvt, sznew) = match segment.size {
                None => (Vt::default(), Vt::default()),
                Some(size) => match &self.body[size] {
                    Expr::Var(name) => {
                        let key = self.key(name);
                        self.pat_binsize_var(key, size, vt, &esnew)
                    }
                    _ => {
                        let saved = self.bvt.replace(esnew.clone());
                        let szvt = self.gexpr(size, vt);
                        let sznew = std::mem::replace(&mut self.bvt, saved).unwrap_or_default();
                        (szvt, sznew)
                    }
                },
            };
            esvt = vtmerge(&szvt, &vtmerge(&pevt, &esvt));
            esnew = vtmerge(&sznew, &vtmerge(&esnew, &penew));
        }
        (esvt, esnew)
    }
}
