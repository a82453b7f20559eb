using System.Globalization;

namespace Rewind.Runtime.Traffic;

/// <summary>
/// Reads the answer to <c>show servers state &lt;backend&gt;</c>: a format version line (<c>1</c>), a header line
/// (<c># be_id be_name srv_id srv_name …</c>), then one space-separated line per server. Columns are found by their
/// header name, so columns a later HAProxy adds do not move the ones read here. Checked with HAProxy 2.6.
/// </summary>
internal static class ServersStateAnswer
{
    private const int RunningStopped = 0;
    private const int RunningStopping = 3;
    private const int CheckConfigured = 0x02;
    private const HaproxyAdminState Maint = HaproxyAdminState.ForcedMaint | HaproxyAdminState.InheritedMaint | HaproxyAdminState.ResolutionMaint;
    private const HaproxyAdminState Drain = HaproxyAdminState.ForcedDrain | HaproxyAdminState.InheritedDrain;

    /// <exception cref="HaproxyRuntimeException">
    /// The answer is HAProxy's refusal ("Can't find backend.") or not in format 1 with the expected columns.
    /// </exception>
    public static IReadOnlyList<HaproxyServer> Parse(string command, string backend, string answer)
    {
        var lines = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2 || !lines[1].StartsWith('#'))
        {
            throw new HaproxyRuntimeException(command, answer.Trim());
        }

        if (lines[0].Trim() != "1")
        {
            throw new HaproxyRuntimeException(command, $"unsupported 'show servers state' format {lines[0].Trim()} (Rewind reads format 1)", null, isTransient: false);
        }

        var header = lines[1].TrimStart('#').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var column = new Columns(command, header);
        var servers = new List<HaproxyServer>();
        foreach (var line in lines.Skip(2).Where(l => !l.StartsWith('#')))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < header.Length)
            {
                throw new HaproxyRuntimeException(command, $"a 'show servers state' line has {fields.Length} fields, the header {header.Length}: {line}", null, isTransient: false);
            }

            if (column.Text(fields, "be_name") == backend)
            {
                servers.Add(Server(column, fields));
            }
        }

        return servers;
    }

    private static HaproxyServer Server(Columns column, string[] fields)
    {
        var operational = column.Number(fields, "srv_op_state");
        var admin = (HaproxyAdminState)column.Number(fields, "srv_admin_state");
        var status = (admin & Maint) != HaproxyAdminState.None ? HaproxyServerStatus.Maint
            : operational == RunningStopped ? HaproxyServerStatus.Down
            : (admin & Drain) != HaproxyAdminState.None || operational == RunningStopping ? HaproxyServerStatus.Drain
            : HaproxyServerStatus.Up;
        var checkStatus = (column.Number(fields, "srv_check_state") & CheckConfigured) == 0
            ? null
            : CheckStatusName(column.Number(fields, "srv_check_status"));
        return new HaproxyServer(
            column.Text(fields, "be_name"),
            column.Text(fields, "srv_name"),
            column.Text(fields, "srv_addr"),
            column.Number(fields, "srv_port"),
            status,
            admin,
            column.Number(fields, "srv_uweight"),
            column.Number(fields, "srv_iweight"),
            checkStatus);
    }

    /// <summary>
    /// HAProxy's <c>HCHK_STATUS_*</c> numbers, named as <c>show stat</c> names them. The numbers are stable: they are
    /// what a server-state file carries from one HAProxy to the next.
    /// </summary>
    private static string CheckStatusName(int status) => status switch
    {
        0 => "UNK",
        1 => "INI",
        4 => "HANA",
        5 => "SOCKERR",
        6 => "L4OK",
        7 => "L4TOUT",
        8 => "L4CON",
        9 => "L6OK",
        10 => "L6TOUT",
        11 => "L6RSP",
        12 => "L7TOUT",
        13 => "L7RSP",
        15 => "L7OK",
        16 => "L7OKC",
        17 => "L7STS",
        18 => "PROCERR",
        19 => "PROCTOUT",
        20 => "PROCOK",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };

    private sealed class Columns(string command, string[] header)
    {
        public string Text(string[] fields, string name)
        {
            var index = Array.IndexOf(header, name);
            return index >= 0
                ? fields[index]
                : throw new HaproxyRuntimeException(command, $"'show servers state' has no column {name}", null, isTransient: false);
        }

        public int Number(string[] fields, string name) =>
            int.TryParse(Text(fields, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new HaproxyRuntimeException(command, $"'show servers state' column {name} is not a number: {Text(fields, name)}", null, isTransient: false);
    }
}
