using System.Data;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;

namespace Rewind.Runtime.Signals;

/// <summary>
/// Runs PostgreSQL probes: connects, runs the query and, when an expected value is given, compares the first column of
/// the first row with it as text. A refused connection, a failing query, a wrong value or a timeout is a failed
/// <see cref="ProbeSample"/> with a short reason, never an exception; only the caller's cancellation throws.
/// </summary>
/// <remarks>
/// Every run opens a new connection (pooling off): a pooled connection could hide a server that no longer accepts new
/// ones. The probe's timeout cancels the run wherever it is; Npgsql then asks the server to cancel the query.
/// </remarks>
public sealed class PostgresProbe(TimeProvider? timeProvider = null) : IProbe
{
    /// <summary>A returned value is shown in an error up to this many characters.</summary>
    public const int MaxShownValue = 200;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<ProbeSample> RunAsync(string component, string probe, ProbeConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var at = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        if (config.Postgres is not { } postgres)
        {
            return Sample(false, "not a postgres probe");
        }

        if (!PostgresUrl.TryParse(postgres.Url, out var url))
        {
            return Sample(false, "url: expected postgres://user:password@host:port/database");
        }

        using var timeout = new CancellationTokenSource(config.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var connected = false;
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString(url, config.Timeout));
            await connection.OpenAsync(linked.Token);
            connected = true;
            await using var command = new NpgsqlCommand(postgres.Query, connection);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleResult | CommandBehavior.SingleRow, linked.Token);
            var mismatch = postgres.Expect is { } expected ? await CheckAsync(reader, expected, linked.Token) : null;
            return Sample(mismatch is null, mismatch);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut();
        }
        catch (NpgsqlException ex) when (ex.InnerException is TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return TimedOut();
        }
        catch (PostgresException ex)
        {
            return Sample(false, $"{(connected ? "query failed" : "connection failed")}: {ex.SqlState}: {ex.MessageText}");
        }
        catch (NpgsqlException ex)
        {
            return Sample(false, Describe(ex));
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or NotSupportedException or InvalidOperationException or IOException)
        {
            return Sample(false, ex.Message);
        }

        ProbeSample TimedOut() => Sample(false, "timeout after " + Durations.Format(config.Timeout));

        ProbeSample Sample(bool success, string? error) =>
            new(component, probe, at, success, _time.GetElapsedTime(started).TotalMilliseconds, success ? null : error);
    }

    /// <summary>Null when the first column of the first row is the expected text, else the reason it is not.</summary>
    private static async Task<string?> CheckAsync(NpgsqlDataReader reader, string expected, CancellationToken cancellationToken)
    {
        if (reader.FieldCount == 0 || !await reader.ReadAsync(cancellationToken))
        {
            return "no rows";
        }

        var value = reader.IsDBNull(0) ? "null" : AsText(reader.GetValue(0));
        return value == expected ? null : $"query returned '{Shorten(value)}', expected '{expected}'";
    }

    /// <summary>The URL as the store reads it, without pooling, with the probe's timeout as a backstop; unknown URL options throw.</summary>
    private static string ConnectionString(PostgresUrl url, TimeSpan timeout)
    {
        var builder = url.WriteTo(new NpgsqlConnectionStringBuilder());
        builder.Pooling = false;
        builder.Timeout = WholeSeconds(timeout);
        builder.CommandTimeout = WholeSeconds(timeout);
        builder.ApplicationName ??= "rewind-probe";
        return builder.ConnectionString;
    }

    /// <summary>Npgsql counts its own timeouts in whole seconds; a second more than the probe's, so the probe's token fires first.</summary>
    private static int WholeSeconds(TimeSpan timeout) => (int)Math.Ceiling(timeout.TotalSeconds) + 1;

    /// <summary>Numbers in invariant form, booleans as PostgreSQL casts them to text (<c>true</c>, <c>false</c>).</summary>
    private static string AsText(object value) => value switch
    {
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Shorten(string value) => value.Length <= MaxShownValue ? value : value[..MaxShownValue] + "…";

    private static string Describe(NpgsqlException ex)
    {
        var socket = ex.InnerException as SocketException ?? ex.InnerException?.InnerException as SocketException;
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "name resolution failed",
            not null => "connection failed: " + socket.Message,
            null => ex.InnerException is { } inner ? $"{ex.Message}: {inner.Message}" : ex.Message,
        };
    }
}
