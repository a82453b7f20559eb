using Rewind.Core.Access;
using Rewind.Core.Audit;
using Rewind.Core.Incidents;
using Rewind.Core.Notifications;
using Rewind.Core.Policies;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;
using Rewind.Core.Signals;

namespace Rewind.Core.Storage;

/// <summary>
/// Rewind's durable record and the source of truth: every decision and every step is written here before it is acted on.
/// Implemented once relationally, with a SQLite and a PostgreSQL dialect; both pass the same contract tests.
/// </summary>
public interface IStore : IReleaseStore, IIncidentStore, IRollbackStore, IMemberLedger, IStepProcessLedger, ISampleStore, IRollupStore, IShadowStore, IAccessStore, IAuditStore, INotificationStore, IBackupRunStore, IReplicaStore, IAgentStore, IDrillStore, IDecisionFactStore, IShareStore
{
    /// <summary>Applies the shipped migrations that are not yet applied. Safe to call from several processes at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Round-trips to the database; for the controller's own health.</summary>
    Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default);
}

public interface IReleaseStore
{
    Task EnsureComponentAsync(string name, string provider, CancellationToken cancellationToken = default);

    /// <summary>Records every component (name → provider kind) in one transaction: a config of 10,000 components starts in seconds.</summary>
    Task EnsureComponentsAsync(IReadOnlyCollection<KeyValuePair<string, string>> components, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ComponentState>> GetComponentsAsync(CancellationToken cancellationToken = default);

    Task<ComponentState?> GetComponentAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Records a deployed release and makes it the component's current one. Re-recording a version re-deploys it.</summary>
    Task<Release> RecordReleaseAsync(Release release, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Release>> GetReleasesAsync(string component, CancellationToken cancellationToken = default);

    Task<Release?> GetReleaseAsync(string component, string version, CancellationToken cancellationToken = default);

    /// <summary>Sets when the release was first seen serving, once: false when it is not recorded or already set.</summary>
    Task<bool> MarkReleaseServedAsync(string component, string version, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a release to a new state and appends <paramref name="entry"/>, when given, in one transaction; false, with
    /// nothing written, when the release is not recorded or the state machine forbids the move.
    /// </summary>
    Task<bool> SetReleaseStateAsync(string component, string version, ReleaseState state, DateTimeOffset at, string? incident = null, TimelineEvent? entry = null, CancellationToken cancellationToken = default);

    Task SetCurrentReleaseAsync(string component, string version, DateTimeOffset at, CancellationToken cancellationToken = default);
}

public interface IIncidentStore
{
    /// <summary>Opens an incident with the next <c>INC-YYYY-MM-DD-NNNN</c> ID of its day and its first timeline event.</summary>
    Task<Incident> OpenIncidentAsync(string component, Severity severity, string title, string? policy, string? release, DateTimeOffset at, string actor, CancellationToken cancellationToken = default);

    Task<Incident?> GetOpenIncidentAsync(string component, CancellationToken cancellationToken = default);

    Task<Incident?> GetIncidentAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Incident>> GetIncidentsAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the incident to <paramref name="status"/> (resolved sets <c>resolved_at</c>) and appends <paramref name="entry"/>,
    /// when given, in one transaction; false, with nothing written, when the incident is in that status already.
    /// </summary>
    Task<bool> SetIncidentStatusAsync(string id, IncidentStatus status, DateTimeOffset at, TimelineEvent? entry = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the acknowledgement once: <c>acknowledged_at</c> and <c>acknowledged_by</c> from the entry's time and
    /// actor, and the entry itself, in one transaction. False, with nothing written, when already acknowledged.
    /// </summary>
    Task<bool> AcknowledgeIncidentAsync(TimelineEvent entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the incident from <paramref name="expected"/> to <paramref name="status"/> and appends <paramref name="entry"/> in
    /// one transaction, only if the incident is still <paramref name="expected"/>; otherwise returns false and writes nothing.
    /// Moving to resolved sets <c>resolved_at</c> to the entry's time and stores <paramref name="falsePositive"/>.
    /// </summary>
    Task<bool> MoveIncidentAsync(IncidentStatus expected, IncidentStatus status, TimelineEvent entry, bool falsePositive = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a resolved incident a false positive after its resolution, appending <paramref name="entry"/> in one
    /// transaction; its resolution time stays. False, with nothing written, when it is not resolved or already marked.
    /// </summary>
    Task<bool> MarkFalsePositiveAsync(TimelineEvent entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises the incident's escalation level to <paramref name="level"/> and appends <paramref name="entry"/> in one
    /// transaction, only if the incident is open and below that level; otherwise returns false and writes nothing.
    /// </summary>
    Task<bool> EscalateIncidentAsync(int level, TimelineEvent entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises the incident's severity to <paramref name="severity"/> (P0 is the highest) and appends <paramref name="entry"/>
    /// in one transaction, only if the incident is open and less severe; otherwise returns false and writes nothing.
    /// </summary>
    Task<bool> RaiseIncidentSeverityAsync(Incidents.Severity severity, TimelineEvent entry, CancellationToken cancellationToken = default);

    /// <summary>Every incident not resolved, oldest first.</summary>
    Task<IReadOnlyList<Incident>> GetOpenIncidentsAsync(CancellationToken cancellationToken = default);

    Task AppendTimelineAsync(TimelineEvent entry, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TimelineEvent>> GetTimelineAsync(string incidentId, CancellationToken cancellationToken = default);

    /// <summary>The incident with its timeline, its rollbacks (with steps, oldest first) and the release it was opened on.</summary>
    Task<IncidentRecord?> GetIncidentRecordAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The records of the incidents opened in [<paramref name="since"/>, <paramref name="until"/>), oldest first.</summary>
    Task<IReadOnlyList<IncidentRecord>> GetIncidentRecordsAsync(DateTimeOffset since, DateTimeOffset until, string? component = null, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of asking for a rollback: created, or refused because another one holds the component's lease.</summary>
public sealed record RollbackCreation(Rollback? Created, string? ActiveRollbackId)
{
    public bool IsCreated => Created is not null;
}

/// <summary>The per-member record of batch steps, written ahead of every call.</summary>
public interface IMemberLedger
{
    /// <summary>The members of a batch step in their stored order; empty before the step first ran.</summary>
    Task<IReadOnlyList<MemberResult>> GetMembersAsync(string rollbackId, int stepIndex, CancellationToken cancellationToken = default);

    /// <summary>Stores the member list once, all pending, in one transaction; members already stored are kept as they are.</summary>
    Task AddMembersAsync(string rollbackId, int stepIndex, IReadOnlyList<string> members, CancellationToken cancellationToken = default);

    /// <summary>Before a call: <c>running</c>, one more attempt, the start time.</summary>
    Task MarkMemberStartedAsync(string rollbackId, int stepIndex, string member, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task MarkMemberFinishedAsync(string rollbackId, int stepIndex, string member, MemberStatus status, DateTimeOffset at, string? output, CancellationToken cancellationToken = default);

    /// <summary>How many members of each batch step of a rollback are in each status, by step index: progress at a glance.</summary>
    Task<IReadOnlyDictionary<int, MemberCounts>> GetMemberCountsAsync(string rollbackId, CancellationToken cancellationToken = default);
}

/// <summary>
/// The process groups a step has running, recorded right after each starts and cleared when it is gone: what a
/// controller resuming the step, or aborting it, must end first.
/// </summary>
public interface IStepProcessLedger
{
    /// <summary>Records a process group of the step; recording the same group again changes nothing.</summary>
    Task AddStepProcessAsync(string rollbackId, int stepIndex, StepProcess process, CancellationToken cancellationToken = default);

    /// <summary>Clears the record of a group that is gone.</summary>
    Task RemoveStepProcessAsync(string rollbackId, int stepIndex, StepProcess process, CancellationToken cancellationToken = default);

    /// <summary>The groups recorded for the step and not cleared, oldest first.</summary>
    Task<IReadOnlyList<StepProcess>> GetStepProcessesAsync(string rollbackId, int stepIndex, CancellationToken cancellationToken = default);
}

public interface IRollbackStore
{
    /// <summary>
    /// Writes the rollback and all its planned steps in one transaction, with the next <c>RB-YYYY-MM-DD-NNNN</c> ID.
    /// Takes the component's lease: if a pending or running rollback of the component exists, nothing is written.
    /// </summary>
    Task<RollbackCreation> CreateRollbackAsync(string component, string? incidentId, string? fromVersion, string toVersion, string reason, string requestedBy, IReadOnlyList<PlanStep> steps, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <c>CreateRollbackAsync</c>; with <paramref name="awaitingApproval"/> the rollback holds the lease but waits for
    /// approvals. <paramref name="link"/> places it in a group rollback: it runs after the rollback it waits for succeeded.
    /// <paramref name="decision"/> makes the timeline entry that records the decision from the created rollback (its ID is
    /// known only then); it is appended in the same transaction, and a rollback that runs at once (not awaiting) moves
    /// the entry's incident to mitigating in it too.
    /// </summary>
    Task<RollbackCreation> CreateRollbackAsync(string component, string? incidentId, string? fromVersion, string toVersion, string reason, string requestedBy, IReadOnlyList<PlanStep> steps, DateTimeOffset at, bool awaitingApproval, RollbackLink? link = null, PlanLimits? limits = null, Func<Rollback, TimelineEvent>? decision = null, CancellationToken cancellationToken = default);

    /// <summary>Cancels a pending rollback that never started (frees its lease); false when it started or is not pending.</summary>
    Task<bool> CancelUnstartedRollbackAsync(string id, DateTimeOffset at, string note, CancellationToken cancellationToken = default);

    /// <summary>The rollbacks of a group that run after <paramref name="id"/>.</summary>
    Task<IReadOnlyList<string>> GetRollbacksWaitingForAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks a pending or running rollback to stop, durably: who and why. False when it is not pending or running, or
    /// an abort was asked already. The executor does the stopping.
    /// </summary>
    Task<bool> RequestAbortAsync(string id, string by, string reason, CancellationToken cancellationToken = default);

    /// <summary>Records one person's decision on a rollback; false when they decided already.</summary>
    Task<bool> AddApprovalAsync(Rewind.Core.Approvals.Approval approval, CancellationToken cancellationToken = default) =>
        AddApprovalAsync(approval, null, cancellationToken);

    /// <summary>
    /// Records one person's decision on a rollback and, in the same transaction, the timeline entry that says so; false,
    /// with nothing written, when they decided already.
    /// </summary>
    Task<bool> AddApprovalAsync(Rewind.Core.Approvals.Approval approval, TimelineEvent? entry, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Rewind.Core.Approvals.Approval>> GetApprovalsAsync(string rollbackId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records one person's decision at the approval step <paramref name="stepIndex"/> of a rollback; false when they
    /// decided at that gate already. Kept apart from the decisions on the whole rollback (the authorisation matrix).
    /// </summary>
    Task<bool> AddGateApprovalAsync(int stepIndex, Rewind.Core.Approvals.Approval approval, CancellationToken cancellationToken = default) =>
        AddGateApprovalAsync(stepIndex, approval, null, cancellationToken);

    /// <summary>As <see cref="AddGateApprovalAsync(int, Approvals.Approval, CancellationToken)"/>, with the timeline entry that says so in the same transaction.</summary>
    Task<bool> AddGateApprovalAsync(int stepIndex, Rewind.Core.Approvals.Approval approval, TimelineEvent? entry, CancellationToken cancellationToken = default);

    /// <summary>The decisions given at the approval step <paramref name="stepIndex"/>, oldest first.</summary>
    Task<IReadOnlyList<Rewind.Core.Approvals.Approval>> GetGateApprovalsAsync(string rollbackId, int stepIndex, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves an awaiting rollback to <paramref name="status"/> (pending to run it, cancelled when denied) and appends
    /// <paramref name="entry"/>, when given, in one transaction; a rollback released to run moves the entry's incident to
    /// mitigating in it too. False, with nothing written, when it no longer awaits.
    /// </summary>
    Task<bool> DecideAwaitingRollbackAsync(string id, RollbackStatus status, DateTimeOffset at, string? note, TimelineEvent? entry = null, CancellationToken cancellationToken = default);

    Task<Rollback?> GetRollbackAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Rollback>> GetRollbacksAsync(int limit, string? component = null, CancellationToken cancellationToken = default);

    /// <summary>Pending and running rollbacks: the work a (re)started controller must finish.</summary>
    Task<IReadOnlyList<Rollback>> GetActiveRollbacksAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a pending rollback to running, from <paramref name="at"/>, and appends <paramref name="entry"/>, when given, in
    /// one transaction; false, with nothing written, when it is not pending (started already, or cancelled).
    /// </summary>
    Task<bool> MarkRollbackRunningAsync(string id, DateTimeOffset at, TimelineEvent? entry = null, CancellationToken cancellationToken = default);

    /// <summary>Finishes a pending or running rollback with everything that ends with it, in one transaction; false, with nothing written, when it is not active.</summary>
    Task<bool> FinishRollbackAsync(RollbackFinish finish, CancellationToken cancellationToken = default);

    /// <summary>Write-ahead: recorded before the step acts. Increments the attempt count.</summary>
    Task MarkStepStartedAsync(string rollbackId, int index, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records a running step's end; false, with nothing written, when the step is not running (finished already).</summary>
    Task<bool> MarkStepFinishedAsync(string rollbackId, int index, StepStatus status, DateTimeOffset at, string? output, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a running step's end and appends <paramref name="entry"/>, when given, in one transaction; false, with
    /// nothing written, when the step is not running (finished already).
    /// </summary>
    Task<bool> MarkStepFinishedAsync(string rollbackId, int index, StepStatus status, DateTimeOffset at, string? output, TimelineEvent? entry, CancellationToken cancellationToken = default);
}

public interface ISampleStore
{
    /// <summary>Adds a scrape's traffic to the release's totals (created at the first call).</summary>
    Task AddReleaseTrafficAsync(string component, string version, double requests, double bad, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The release's traffic totals, or null when no scrape has counted any.</summary>
    Task<ReleaseTraffic?> GetReleaseTrafficAsync(string component, string version, CancellationToken cancellationToken = default);

    /// <summary>Adds a scrape's latency histogram increase (cumulative per bucket bound) to the release's totals.</summary>
    Task AddReleaseLatencyAsync(string component, string version, IReadOnlyList<(double UpperBound, double CumulativeCount)> buckets, CancellationToken cancellationToken = default);

    /// <summary>The release's latency histogram totals, cumulative per bucket bound in ascending order (+Inf last); empty when none was counted.</summary>
    Task<IReadOnlyList<(double UpperBound, double CumulativeCount)>> GetReleaseLatencyAsync(string component, string version, CancellationToken cancellationToken = default);

    Task AddSampleAsync(ProbeSample sample, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="samples"/> in one transaction (multi-row inserts): all of them or none.</summary>
    Task AddSamplesAsync(IReadOnlyList<ProbeSample> samples, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ProbeSample>> GetRecentSamplesAsync(string component, string probe, int limit, CancellationToken cancellationToken = default);
}

public interface IShadowStore
{
    Task AddShadowDecisionAsync(ShadowDecision decision, CancellationToken cancellationToken = default);

    /// <summary>Newest first; all components when <paramref name="component"/> is null.</summary>
    Task<IReadOnlyList<ShadowDecision>> GetShadowDecisionsAsync(int limit, string? component = null, CancellationToken cancellationToken = default);

    Task DeclareMaintenanceAsync(MaintenanceWindow window, CancellationToken cancellationToken = default) =>
        DeclareMaintenanceAsync(window, null, cancellationToken);

    /// <summary>Declares <paramref name="window"/> and, in the same transaction, the open incident's entry that says so.</summary>
    Task DeclareMaintenanceAsync(MaintenanceWindow window, TimelineEvent? entry, CancellationToken cancellationToken = default);

    /// <summary>The window of the component active at <paramref name="at"/> that ends last, if any.</summary>
    Task<MaintenanceWindow?> GetActiveMaintenanceAsync(string component, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Ends every window of the component active at <paramref name="at"/>; returns how many were ended.</summary>
    Task<int> EndMaintenanceAsync(string component, DateTimeOffset at, CancellationToken cancellationToken = default);
}

public interface IAccessStore
{
    /// <summary>False when a user of that name exists already.</summary>
    Task<bool> CreateUserAsync(User user, CancellationToken cancellationToken = default);

    Task<User?> GetUserAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<User>> GetUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>Disables the user (their tokens stop working); false when no such active user.</summary>
    Task<bool> DisableUserAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Enrols (or re-enrols) the user's TOTP secret; false when no such user.</summary>
    Task<bool> SetTotpSecretAsync(string name, string secret, CancellationToken cancellationToken = default);

    /// <summary>The user's TOTP secret and the last step used, or null when not enrolled.</summary>
    Task<(string Secret, long? LastStep)?> GetTotpAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Marks a step as used, atomically; false when that step (or a later one) was used already.</summary>
    Task<bool> UseTotpStepAsync(string name, long timeStep, CancellationToken cancellationToken = default);

    /// <summary>Stores a token by the hash of its secret; the secret itself is never stored.</summary>
    Task CreateTokenAsync(ApiToken token, string hash, CancellationToken cancellationToken = default);

    /// <summary>The token with this hash and its user, whatever their state (the caller decides what a revoked or expired token means).</summary>
    Task<(ApiToken Token, User User)?> FindTokenAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Every token, or one user's, newest first.</summary>
    Task<IReadOnlyList<ApiToken>> GetTokensAsync(string? user = null, CancellationToken cancellationToken = default);

    /// <summary>False when no such token or it was revoked already.</summary>
    Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);
}

public interface IAuditStore
{
    /// <summary>Appends one entry after the newest, chained to it by hash; appends are serialised.</summary>
    Task<AuditEntry> AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>Entries after <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditAsync(long afterSeq, int limit, CancellationToken cancellationToken = default);
}

/// <summary>The record of scheduled backups, verifications and restore drills.</summary>
public interface IBackupRunStore
{
    Task RecordBackupRunAsync(Backups.BackupRun run, CancellationToken cancellationToken = default);

    /// <summary>The component's runs, newest first.</summary>
    Task<IReadOnlyList<Backups.BackupRun>> GetBackupRunsAsync(string component, int limit, CancellationToken cancellationToken = default);

    /// <summary>The component's runs of one kind (<c>drill</c>…), newest first: other kinds, however frequent, never crowd them out.</summary>
    Task<IReadOnlyList<Backups.BackupRun>> GetBackupRunsOfKindAsync(string component, string kind, int limit, CancellationToken cancellationToken = default);
}

/// <summary>
/// The record of game days (<c>rewind drill</c>). While a run is <see cref="Drills.DrillRunStatus.Running"/>, an
/// incident opened on one of its components carries the run's id (<see cref="Incident.DrillRun"/>) and a title saying so.
/// </summary>
public interface IDrillStore
{
    /// <summary>A new run, <see cref="Drills.DrillRunStatus.Requested"/>, with a daily id (<c>DR-2026-12-06-0001</c>).</summary>
    Task<Drills.DrillRun> RequestDrillRunAsync(string drill, IReadOnlyList<string> components, string requestedBy, DateTimeOffset at, bool scheduled, CancellationToken cancellationToken = default);

    Task<Drills.DrillRun?> GetDrillRunAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Runs of one drill (or all with null), newest first.</summary>
    Task<IReadOnlyList<Drills.DrillRun>> GetDrillRunsAsync(string? drill, int limit, CancellationToken cancellationToken = default);

    /// <summary>Runs requested or running, oldest first.</summary>
    Task<IReadOnlyList<Drills.DrillRun>> GetOpenDrillRunsAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="run"/>'s status, times, summary and report when its status is still <paramref name="expected"/>; false otherwise.</summary>
    Task<bool> UpdateDrillRunAsync(Drills.DrillRun run, Drills.DrillRunStatus expected, CancellationToken cancellationToken = default);
}

/// <summary>
/// What the decision engine holds in memory of every component (its current release, an active rollback, maintenance),
/// read in bulk, and the count of this store's own writes that change it, so a holder can tell its copy may be stale.
/// </summary>
public interface IDecisionFactStore
{
    /// <summary>The release each component's current version names; components with none recorded are absent.</summary>
    Task<IReadOnlyList<Release>> GetCurrentReleasesAsync(CancellationToken cancellationToken = default);

    /// <summary>The maintenance windows not ended at <paramref name="at"/> (active or to come), of one component or of all.</summary>
    Task<IReadOnlyList<MaintenanceWindow>> GetMaintenanceWindowsAsync(DateTimeOffset at, string? component = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many writes through this store object have changed the component's current release, a release's state, its
    /// rollbacks or its maintenance windows; counted once each write is committed. Writes of other processes are not
    /// counted: a holder also reads again in bulk.
    /// </summary>
    long ChangesOf(string component);
}

/// <summary>One controller process using the store, as it last said it was alive.</summary>
public sealed record ReplicaRecord(string Name, string Host, int Pid, string Version, string? Listen, DateTimeOffset StartedAt, DateTimeOffset SeenAt);

/// <summary>The controller processes using the store. Not fenced: every replica, leader or not, says it is alive.</summary>
public interface IReplicaStore
{
    /// <summary>Records <paramref name="replica"/> (by name), replacing what it said before.</summary>
    Task SaveReplicaAsync(ReplicaRecord replica, CancellationToken cancellationToken = default);

    /// <summary>Every replica recorded, by name.</summary>
    Task<IReadOnlyList<ReplicaRecord>> GetReplicasAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets a replica: one that stopped cleanly, or one not seen for long.</summary>
    Task RemoveReplicaAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>
/// A replica's share lease as it last wrote it: the members it assigns components over (what it claims follows from
/// them), how many components it watches, and a counter each renewal raises (a reader judges liveness by seeing it move).
/// </summary>
public sealed record ShareRecord(string Replica, long Renewals, IReadOnlyList<string> Members, int Components, DateTimeOffset RenewedAt);

/// <summary>One stored probe sample with its place in the order samples were written (<see cref="Seq"/>).</summary>
public sealed record SequencedSample(long Seq, Signals.ProbeSample Sample);

/// <summary>
/// The share leases of the replicas and the tail of the samples they write. Not fenced: every replica, leader or not,
/// renews its share and writes the samples of the components it watches.
/// </summary>
public interface IShareStore
{
    /// <summary>Writes <paramref name="replica"/>'s share (members, components, time) and raises its renewal counter; creates it when missing.</summary>
    Task RenewShareAsync(string replica, IReadOnlyList<string> members, int components, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Every share written, by replica.</summary>
    Task<IReadOnlyList<ShareRecord>> GetSharesAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets <paramref name="replica"/>'s share; with <paramref name="renewals"/>, only if it has not been renewed since.</summary>
    Task RemoveShareAsync(string replica, long? renewals, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> samples written after <paramref name="afterSeq"/>, and those of <paramref name="missing"/>
    /// (places below it not committed when last read), in the order written, each with the replica that probed it.
    /// </summary>
    Task<IReadOnlyList<SequencedSample>> GetSamplesAfterAsync(long afterSeq, IReadOnlyCollection<long> missing, int limit, CancellationToken cancellationToken = default);

    /// <summary>The place of the newest sample written (0 for none): where a tail starts.</summary>
    Task<long> GetLastSampleSeqAsync(CancellationToken cancellationToken = default);
}
