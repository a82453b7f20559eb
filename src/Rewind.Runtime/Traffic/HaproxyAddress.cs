using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Rewind.Runtime.Traffic;

/// <summary>
/// Where HAProxy's runtime API listens: <c>unix:/run/haproxy/admin.sock</c> (a <c>stats socket</c> path) or
/// <c>tcp:127.0.0.1:9999</c> (a <c>stats socket ipv4@…</c> address; an IPv6 host goes in brackets).
/// </summary>
public sealed class HaproxyAddress
{
    private const string Expected = "expected unix:<socket path> or tcp:<host>:<port>";

    private HaproxyAddress(string text, EndPoint endPoint)
    {
        Text = text;
        EndPoint = endPoint;
    }

    public string Text { get; }

    internal EndPoint EndPoint { get; }

    internal bool IsUnix => EndPoint is UnixDomainSocketEndPoint;

    /// <exception cref="ArgumentException">The text is not one of the two forms; the message says why.</exception>
    public static HaproxyAddress Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = address["unix:".Length..];
            return path.Length == 0
                ? throw Invalid(address, "the socket path is empty")
                : new HaproxyAddress(address, new UnixDomainSocketEndPoint(path));
        }

        if (address.StartsWith("tcp:", StringComparison.Ordinal))
        {
            var hostPort = address["tcp:".Length..];
            var colon = hostPort.LastIndexOf(':');
            if (colon <= 0)
            {
                throw Invalid(address, "the host or the port is missing");
            }

            var host = hostPort[..colon];
            if (!int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw Invalid(address, "the port is not a number from 1 to 65535");
            }

            if (host.StartsWith('[') && host.EndsWith(']'))
            {
                host = host[1..^1];
            }

            EndPoint endPoint = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
            return host.Length == 0 || host.Contains(':', StringComparison.Ordinal) && ip is null
                ? throw Invalid(address, "the host is empty or malformed (an IPv6 host goes in brackets)")
                : new HaproxyAddress(address, endPoint);
        }

        throw Invalid(address, "unknown scheme");
    }

    public override string ToString() => Text;

    private static ArgumentException Invalid(string address, string why) =>
        new($"HAProxy runtime address '{address}' is not valid: {why}; {Expected}", nameof(address));
}
