using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Rewind.Core.Haproxy;

/// <summary>
/// Where HAProxy's runtime API listens: <c>unix:/run/haproxy/admin.sock</c> (a <c>stats socket</c> path) or
/// <c>tcp:127.0.0.1:9999</c> (a <c>stats socket ipv4@…</c> address; an IPv6 host goes in brackets).
/// </summary>
public sealed class HaproxyAddress
{
    /// <summary>The two forms, as error messages name them.</summary>
    public const string Expected = "expected unix:<socket path> or tcp:<host>:<port>";

    private HaproxyAddress(string text, EndPoint endPoint)
    {
        Text = text;
        EndPoint = endPoint;
    }

    public string Text { get; }

    /// <summary>Where to connect: a Unix socket, an IP address and port, or a host name and port.</summary>
    public EndPoint EndPoint { get; }

    public bool IsUnix => EndPoint is UnixDomainSocketEndPoint;

    /// <exception cref="ArgumentException">The text is not one of the two forms; the message says why.</exception>
    public static HaproxyAddress Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return TryParse(address, out var parsed, out var why)
            ? parsed
            : throw new ArgumentException($"HAProxy runtime address '{address}' is not valid: {why}; {Expected}", nameof(address));
    }

    /// <summary>Parses without throwing; <paramref name="why"/> says what is wrong (for config validation).</summary>
    public static bool TryParse(string address, [NotNullWhen(true)] out HaproxyAddress? parsed, [NotNullWhen(false)] out string? why)
    {
        ArgumentNullException.ThrowIfNull(address);
        parsed = null;
        why = null;
        if (address.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = address["unix:".Length..];
            if (path.Length == 0)
            {
                why = "the socket path is empty";
                return false;
            }

            parsed = new HaproxyAddress(address, new UnixDomainSocketEndPoint(path));
            return true;
        }

        if (!address.StartsWith("tcp:", StringComparison.Ordinal))
        {
            why = "unknown scheme";
            return false;
        }

        var hostPort = address["tcp:".Length..];
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0)
        {
            why = "the host or the port is missing";
            return false;
        }

        var host = hostPort[..colon];
        if (!int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            why = "the port is not a number from 1 to 65535";
            return false;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        var isIp = IPAddress.TryParse(host, out var ip);
        if (host.Length == 0 || (host.Contains(':', StringComparison.Ordinal) && !isIp))
        {
            why = "the host is empty or malformed (an IPv6 host goes in brackets)";
            return false;
        }

        parsed = new HaproxyAddress(address, isIp ? new IPEndPoint(ip!, port) : new DnsEndPoint(host, port));
        return true;
    }

    public override string ToString() => Text;
}
