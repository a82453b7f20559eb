using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Samples;

/// <summary>Calls to the control plane and to the database, and the API's shapes.</summary>
public sealed partial class FakeManagedPostgresTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Rfc3339(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static async Task<DatabaseView> DatabaseAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<DatabaseView>("v1/databases/main", Json))!;

    private static async Task<BackupView[]> BackupsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<BackupList>("v1/databases/main/backups", Json))!.Backups;

    /// <summary>The operation a 202 named, once it is no longer running.</summary>
    private static async Task<OperationView> FinishedAsync(HttpClient client, HttpResponseMessage accepted)
    {
        var body = await accepted.Content.ReadAsStringAsync();
        accepted.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted, body);
        var id = JsonSerializer.Deserialize<Accepted>(body, Json)!.Operation;
        return await Eventually.WaitAsync(
            async () => await client.GetFromJsonAsync<OperationView>($"v1/operations/{id}", Json) is { Status: not "running" } done ? done : null,
            Deadline,
            $"operation {id} to finish");
    }

    /// <summary>The database server's clock now, after every earlier commit: the time a test notes to restore to.</summary>
    private static async Task<DateTimeOffset> ClockAsync(ManagedPostgresServer server)
    {
        await using var connection = await server.ConnectAsync();
        await using var command = new NpgsqlCommand("SELECT clock_timestamp()", connection);
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync())!);
    }

    private static async Task ExecuteAsync(ManagedPostgresServer server, string sql)
    {
        await using var connection = await server.ConnectAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int[]> IdsAsync(ManagedPostgresServer server, string table)
    {
        await using var connection = await server.ConnectAsync();
        await using var command = new NpgsqlCommand($"SELECT id FROM {table} ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<int>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt32(0));
        }

        return [.. ids];
    }

    private static async Task<bool> CanConnectAsync(ManagedPostgresServer server)
    {
        try
        {
            await using var connection = await server.ConnectAsync();
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed record Accepted(string Operation);

    private sealed record DatabaseView(string Id, string Status, string ConnectionString, DateTimeOffset? EarliestRestoreTime, DateTimeOffset? LatestRestoreTime);

    private sealed record OperationView(string Id, string Kind, string Status, string? Error, string? RestoreTime, DateTimeOffset Started, DateTimeOffset? Finished, string? BackupId);

    private sealed record BackupView(string Id, string Status, DateTimeOffset Started, DateTimeOffset? Finished, int? Timeline);

    private sealed record BackupList(BackupView[] Backups);
}
