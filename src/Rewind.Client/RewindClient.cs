using System.Net.Http.Json;
using System.Text.Json;

namespace Rewind.Client;

/// <summary>Typed client of Rewind's API (<c>/api/v1</c>). Errors arrive as <see cref="RewindApiException"/> carrying the problem details.</summary>
public sealed class RewindClient(HttpClient http)
{
    public const string DefaultServer = "http://127.0.0.1:7878";

    public Task<ControllerHealthDto> GetHealthAsync(CancellationToken cancellationToken = default) =>
        GetAsync<ControllerHealthDto>("api/v1/health", cancellationToken);

    /// <summary>Reads the controller's config file again and applies it (admin); a refused config is an answer, with its errors.</summary>
    public Task<ConfigReloadDto> ReloadConfigAsync(CancellationToken cancellationToken = default) =>
        PostAsync<ConfigReloadDto>("api/v1/config/reload", new { }, cancellationToken);

    public Task<IReadOnlyList<ComponentDto>> GetComponentsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ComponentDto>>("api/v1/components", cancellationToken);

    public Task<ComponentDto> GetComponentAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<ComponentDto>($"api/v1/components/{Uri.EscapeDataString(name)}", cancellationToken);

    public Task<MaintenanceDto> StartMaintenanceAsync(string component, MaintenanceRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<MaintenanceDto>($"api/v1/components/{Uri.EscapeDataString(component)}/maintenance", request, cancellationToken);

    public async Task EndMaintenanceAsync(string component, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync(new Uri($"api/v1/components/{Uri.EscapeDataString(component)}/maintenance", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync<object>(response, cancellationToken);
        }
    }

    public Task<IReadOnlyList<SignalDto>> GetSignalsAsync(string component, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<SignalDto>>($"api/v1/components/{Uri.EscapeDataString(component)}/signals", cancellationToken);

    /// <summary>Pushes an event with a push token (the client's default headers are left alone).</summary>
    public async Task<PushedEventDto> PushEventAsync(string token, PushEventRequest request, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri("api/v1/signals", UriKind.Relative))
        {
            Content = JsonContent.Create(request, options: RewindJson.Options),
        };
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(message, cancellationToken);
        return await ReadAsync<PushedEventDto>(response, cancellationToken);
    }

    public Task<IReadOnlyList<ReleaseDto>> GetReleasesAsync(string component, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ReleaseDto>>($"api/v1/components/{Uri.EscapeDataString(component)}/releases", cancellationToken);

    public Task<ReleaseDto> RecordReleaseAsync(string component, RecordReleaseRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<ReleaseDto>($"api/v1/components/{Uri.EscapeDataString(component)}/releases", request, cancellationToken);

    public Task<ReleaseDto> MarkBadAsync(string component, string version, MarkBadRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<ReleaseDto>($"api/v1/components/{Uri.EscapeDataString(component)}/releases/{Uri.EscapeDataString(version)}/mark-bad", request, cancellationToken);

    /// <summary>Makes a baking release stable (known good) by a person's decision, with the reason, before its traffic has earned it.</summary>
    public Task<ReleaseDto> PromoteAsync(string component, string version, PromoteRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<ReleaseDto>($"api/v1/components/{Uri.EscapeDataString(component)}/releases/{Uri.EscapeDataString(version)}/promote", request, cancellationToken);

    /// <summary>Whether a version may be deployed; a refusal is an answer (Allowed false), not an exception.</summary>
    public Task<ReleaseCheckDto> CheckReleaseAsync(string component, string version, CancellationToken cancellationToken = default) =>
        GetAsync<ReleaseCheckDto>($"api/v1/components/{Uri.EscapeDataString(component)}/releases/{Uri.EscapeDataString(version)}/check", cancellationToken);

    public Task<IReadOnlyList<DrillDto>> GetDrillsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<DrillDto>>("api/v1/drills", cancellationToken);

    public Task<DrillRunDto> StartDrillAsync(string drill, StartDrillRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<DrillRunDto>($"api/v1/drills/{Uri.EscapeDataString(drill)}/runs", request, cancellationToken);

    /// <summary>Runs of one drill, or of all with null, newest first.</summary>
    public Task<IReadOnlyList<DrillRunDto>> GetDrillRunsAsync(string? drill = null, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<DrillRunDto>>(drill is null ? "api/v1/drill-runs" : $"api/v1/drill-runs?drill={Uri.EscapeDataString(drill)}", cancellationToken);

    public Task<DrillRunDto> GetDrillRunAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<DrillRunDto>($"api/v1/drill-runs/{Uri.EscapeDataString(id)}", cancellationToken);

    public Task<DrillRunDto> AbortDrillRunAsync(string id, AbortDrillRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<DrillRunDto>($"api/v1/drill-runs/{Uri.EscapeDataString(id)}/abort", request, cancellationToken);

    public Task<IReadOnlyList<IncidentDto>> GetIncidentsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<IncidentDto>>("api/v1/incidents", cancellationToken);

    public Task<IncidentDto> GetIncidentAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<IncidentDto>($"api/v1/incidents/{Uri.EscapeDataString(id)}", cancellationToken);

    public Task<IncidentDto> ResolveIncidentAsync(string id, ResolveIncidentRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<IncidentDto>($"api/v1/incidents/{Uri.EscapeDataString(id)}/resolve", request, cancellationToken);

    public Task<IncidentDto> AcknowledgeIncidentAsync(string id, AcknowledgeIncidentRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<IncidentDto>($"api/v1/incidents/{Uri.EscapeDataString(id)}/acknowledge", request, cancellationToken);

    public Task<IncidentDto> EscalateIncidentAsync(string id, EscalateIncidentRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<IncidentDto>($"api/v1/incidents/{Uri.EscapeDataString(id)}/escalate", request, cancellationToken);

    public Task<IncidentDto> AddIncidentNoteAsync(string id, IncidentNoteRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<IncidentDto>($"api/v1/incidents/{Uri.EscapeDataString(id)}/notes", request, cancellationToken);

    public Task<IncidentDto> SetIncidentStatusAsync(string id, IncidentStatusRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<IncidentDto>($"api/v1/incidents/{Uri.EscapeDataString(id)}/status", request, cancellationToken);

    /// <summary>The post-incident report as text: <c>md</c> (Markdown) or <c>html</c> (a whole page).</summary>
    public async Task<string> GetIncidentReportAsync(string id, string format = "md", CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri($"api/v1/incidents/{Uri.EscapeDataString(id)}/report?format={Uri.EscapeDataString(format)}", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync<object>(response, cancellationToken);
        }

        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary><paramref name="since"/> and <paramref name="until"/> are ISO 8601 times or durations back from now (<c>7d</c>).</summary>
    public Task<IncidentMetricsDto> GetIncidentMetricsAsync(string? component = null, string? since = null, string? until = null, CancellationToken cancellationToken = default)
    {
        var query = string.Join('&', new[] { ("component", component), ("since", since), ("until", until) }
            .Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
        return GetAsync<IncidentMetricsDto>(query.Length == 0 ? "api/v1/incident-metrics" : "api/v1/incident-metrics?" + query, cancellationToken);
    }

    public Task<IReadOnlyList<ShadowDecisionDto>> GetShadowDecisionsAsync(string? component = null, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ShadowDecisionDto>>(component is null ? "api/v1/shadow-decisions" : $"api/v1/shadow-decisions?component={Uri.EscapeDataString(component)}", cancellationToken);

    /// <summary>The notification outbox, newest first; <paramref name="status"/> is <c>pending</c>, <c>failed</c>, <c>sent</c> or null for all.</summary>
    public Task<IReadOnlyList<NotificationDto>> GetNotificationsAsync(string? status = null, int limit = 100, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<NotificationDto>>(
            status is null ? $"api/v1/notifications?limit={limit}" : $"api/v1/notifications?status={Uri.EscapeDataString(status)}&limit={limit}",
            cancellationToken);

    public Task<IReadOnlyList<RollbackDto>> GetRollbacksAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<RollbackDto>>("api/v1/rollbacks", cancellationToken);

    public Task<RollbackDto> GetRollbackAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<RollbackDto>($"api/v1/rollbacks/{Uri.EscapeDataString(id)}", cancellationToken);

    public Task<RollbackDto> RequestRollbackAsync(RollbackRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<RollbackDto>("api/v1/rollbacks", request with { DryRun = false }, cancellationToken);

    public Task<IReadOnlyList<MemberDto>> GetMembersAsync(string id, int stepIndex, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<MemberDto>>($"api/v1/rollbacks/{Uri.EscapeDataString(id)}/steps/{stepIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)}/members", cancellationToken);

    /// <summary>
    /// The rollback as it changes, from the server's event stream (<c>GET /api/v1/rollbacks/{id}/events</c>), until it
    /// is finished or the stream ends. The HTTP client's timeout applies to the whole stream; give it a long one.
    /// </summary>
    public async IAsyncEnumerable<RollbackDto> FollowRollbackAsync(string id, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"api/v1/rollbacks/{Uri.EscapeDataString(id)}/events", UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync<object>(response, cancellationToken);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream, (type, data) => System.Text.Json.JsonSerializer.Deserialize<RollbackDto>(data, RewindJson.Options)).EnumerateAsync(cancellationToken))
        {
            if (item.Data is { } rollback)
            {
                yield return rollback;
            }
        }
    }

    public Task<GroupPlanDto> DryRunGroupRollbackAsync(string group, GroupRollbackRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<GroupPlanDto>($"api/v1/groups/{Uri.EscapeDataString(group)}/rollback", request with { DryRun = true }, cancellationToken);

    public Task<GroupRollbackDto> RequestGroupRollbackAsync(string group, GroupRollbackRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<GroupRollbackDto>($"api/v1/groups/{Uri.EscapeDataString(group)}/rollback", request with { DryRun = false }, cancellationToken);

    public Task<RollbackDto> AbortRollbackAsync(string id, string reason, CancellationToken cancellationToken = default) =>
        PostAsync<RollbackDto>($"api/v1/rollbacks/{Uri.EscapeDataString(id)}/abort", new AbortRollbackRequest(reason), cancellationToken);

    public Task<RollbackPlanDto> DryRunRollbackAsync(RollbackRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<RollbackPlanDto>("api/v1/rollbacks", request with { DryRun = true }, cancellationToken);

    public Task<RollbackDto> ApproveRollbackAsync(string id, string? note = null, CancellationToken cancellationToken = default) =>
        ApproveRollbackAsync(id, note, code: null, cancellationToken);

    /// <summary>Approves with a TOTP code, for rules that ask for a second factor.</summary>
    public Task<RollbackDto> ApproveRollbackAsync(string id, string? note, string? code, CancellationToken cancellationToken = default) =>
        PostAsync<RollbackDto>($"api/v1/rollbacks/{Uri.EscapeDataString(id)}/approve", new RollbackDecisionRequest(note, code), cancellationToken);

    public Task<TotpEnrolmentDto> EnrolTotpAsync(string user, CancellationToken cancellationToken = default) =>
        PostAsync<TotpEnrolmentDto>($"api/v1/users/{Uri.EscapeDataString(user)}/totp", new { }, cancellationToken);

    public Task<RollbackDto> DenyRollbackAsync(string id, string? note = null, CancellationToken cancellationToken = default) =>
        PostAsync<RollbackDto>($"api/v1/rollbacks/{Uri.EscapeDataString(id)}/deny", new RollbackDecisionRequest(note), cancellationToken);

    public Task<WhoAmIDto> WhoAmIAsync(CancellationToken cancellationToken = default) =>
        GetAsync<WhoAmIDto>("api/v1/whoami", cancellationToken);

    public Task<IReadOnlyList<UserDto>> GetUsersAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<UserDto>>("api/v1/users", cancellationToken);

    public Task<UserDto> CreateUserAsync(CreateUserRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<UserDto>("api/v1/users", request, cancellationToken);

    public async Task DisableUserAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync(new Uri($"api/v1/users/{Uri.EscapeDataString(name)}/disable", UriKind.Relative), null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync<object>(response, cancellationToken);
        }
    }

    public Task<CreatedTokenDto> CreateTokenAsync(string user, CreateTokenRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<CreatedTokenDto>($"api/v1/users/{Uri.EscapeDataString(user)}/tokens", request, cancellationToken);

    public Task<IReadOnlyList<TokenDto>> GetTokensAsync(string? user = null, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<TokenDto>>(user is null ? "api/v1/tokens" : $"api/v1/tokens?user={Uri.EscapeDataString(user)}", cancellationToken);

    public async Task RevokeTokenAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync(new Uri($"api/v1/tokens/{Uri.EscapeDataString(id)}", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync<object>(response, cancellationToken);
        }
    }

    public Task<IReadOnlyList<BackupRunDto>> GetBackupRunsAsync(string component, int limit = 50, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<BackupRunDto>>($"api/v1/components/{Uri.EscapeDataString(component)}/backups?limit={limit}", cancellationToken);

    public Task<IReadOnlyList<AuditEntryDto>> GetAuditAsync(long after = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<AuditEntryDto>>($"api/v1/audit?after={after}&limit={limit}", cancellationToken);

    public Task<AuditVerificationDto> VerifyAuditAsync(CancellationToken cancellationToken = default) =>
        GetAsync<AuditVerificationDto>("api/v1/audit/verify", cancellationToken);

    /// <summary>Recent probe samples and traffic of a component: the data behind the dashboard's charts.</summary>
    public Task<SignalHistoryDto> GetSignalHistoryAsync(string component, int limit = 120, CancellationToken cancellationToken = default) =>
        GetAsync<SignalHistoryDto>($"api/v1/components/{Uri.EscapeDataString(component)}/samples?limit={limit}", cancellationToken);

    /// <summary>A component's probe history over <paramref name="window"/> (<c>1h</c>, <c>6h</c>, <c>24h</c>, <c>7d</c>, <c>30d</c>): raw samples and rollups.</summary>
    public Task<SignalHistoryDto> GetSignalHistoryAsync(string component, string window, CancellationToken cancellationToken = default) =>
        GetAsync<SignalHistoryDto>($"api/v1/components/{Uri.EscapeDataString(component)}/samples?window={Uri.EscapeDataString(window)}", cancellationToken);

    /// <summary>Who decided on a rollback, and while it awaits approval, the rule, what is missing, and whether the caller may approve.</summary>
    public Task<ApprovalStatusDto> GetApprovalStatusAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<ApprovalStatusDto>($"api/v1/rollbacks/{Uri.EscapeDataString(id)}/approvals", cancellationToken);

    public Task<BackupSetsDto> GetBackupSetsAsync(string component, CancellationToken cancellationToken = default) =>
        GetAsync<BackupSetsDto>($"api/v1/components/{Uri.EscapeDataString(component)}/backup-sets", cancellationToken);

    /// <summary>An agent's poll: the work of its token's host, held open up to <see cref="AgentPollRequest.WaitSeconds"/> when there is none.</summary>
    public Task<AgentWorkDto> PollAgentWorkAsync(AgentPollRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<AgentWorkDto>("api/v1/agent/poll", request, cancellationToken);

    /// <summary>An agent's report of one attempt; repeating it changes nothing.</summary>
    public Task<AgentReportDto> ReportAgentAttemptAsync(string attemptId, AgentReportRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<AgentReportDto>($"api/v1/agent/attempts/{Uri.EscapeDataString(attemptId)}", request, cancellationToken);

    /// <summary>An agent's copy of its host's last known goods, for a rollback without a controller.</summary>
    public Task<AgentKnownGoodDto> GetAgentKnownGoodAsync(CancellationToken cancellationToken = default) =>
        GetAsync<AgentKnownGoodDto>("api/v1/agent/known-good", cancellationToken);

    /// <summary>An agent's measurement of the backup repositories of the clusters on its host.</summary>
    public Task<AgentBackupsAcceptedDto> ReportAgentBackupsAsync(AgentBackupsRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<AgentBackupsAcceptedDto>("api/v1/agent/backups", request, cancellationToken);

    /// <summary>The probes an agent's host runs, with their configs.</summary>
    public Task<AgentProbesDto> GetAgentProbesAsync(CancellationToken cancellationToken = default) =>
        GetAsync<AgentProbesDto>("api/v1/agent/probes", cancellationToken);

    /// <summary>An agent's batch of samples of its host's probes.</summary>
    public Task<AgentSamplesDto> PostAgentSamplesAsync(AgentSamplesRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<AgentSamplesDto>("api/v1/agent/samples", request, cancellationToken);

    /// <summary>An agent's report of a rollback it ran with no controller; repeating it changes nothing.</summary>
    public Task<BreakGlassReportDto> ReportBreakGlassAsync(BreakGlassReportRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<BreakGlassReportDto>("api/v1/agent/break-glass", request, cancellationToken);

    public Task<IReadOnlyList<AgentDto>> GetAgentsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<AgentDto>>("api/v1/agents", cancellationToken);

    public Task<CreatedAgentTokenDto> CreateAgentTokenAsync(CreateAgentTokenRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<CreatedAgentTokenDto>("api/v1/agent-tokens", request, cancellationToken);

    public Task<IReadOnlyList<AgentTokenDto>> GetAgentTokensAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<AgentTokenDto>>("api/v1/agent-tokens", cancellationToken);

    public async Task RevokeAgentTokenAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync(new Uri($"api/v1/agent-tokens/{Uri.EscapeDataString(id)}", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync<object>(response, cancellationToken);
        }
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, RewindJson.Options, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<T>(RewindJson.Options, cancellationToken))!;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string title = response.ReasonPhrase ?? "error";
        string? detail = null;
        try
        {
            using var problem = JsonDocument.Parse(text);
            title = problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() ?? title : title;
            detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        catch (JsonException)
        {
            detail = text.Length > 500 ? text[..500] : text;
        }

        throw new RewindApiException((int)response.StatusCode, title, detail);
    }
}
