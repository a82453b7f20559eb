using Rewind.Core.Haproxy;

namespace Rewind.Core.Tests.Haproxy;

public sealed class HaproxyAddressTests
{
    [Theory]
    [InlineData("unix:/run/haproxy/admin.sock")]
    [InlineData("tcp:127.0.0.1:9999")]
    [InlineData("tcp:[::1]:9999")]
    [InlineData("tcp:haproxy.internal:9999")]
    public void Parse_EitherForm_IsAccepted(string address) =>
        HaproxyAddress.Parse(address).Text.ShouldBe(address);

    [Theory]
    [InlineData("/run/haproxy/admin.sock", "unknown scheme")]
    [InlineData("unix:", "the socket path is empty")]
    [InlineData("tcp:127.0.0.1", "the host or the port is missing")]
    [InlineData("tcp:127.0.0.1:0", "the port is not a number from 1 to 65535")]
    [InlineData("tcp:127.0.0.1:http", "the port is not a number from 1 to 65535")]
    [InlineData("tcp::9999", "the host or the port is missing")]
    [InlineData("tcp:a:b:9999", "the host is empty or malformed (an IPv6 host goes in brackets)")]
    public void Parse_Malformed_SaysWhyAndWhatIsExpected(string address, string why)
    {
        var error = Should.Throw<ArgumentException>(() => HaproxyAddress.Parse(address));

        error.Message.ShouldStartWith($"HAProxy runtime address '{address}' is not valid: {why}; expected unix:<socket path> or tcp:<host>:<port>");
    }
}
