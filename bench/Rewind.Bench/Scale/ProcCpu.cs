using System.Globalization;

namespace Rewind.Bench.Scale;

/// <summary>CPU time and memory of processes, read from <c>/proc</c> (clock ticks of 10 ms).</summary>
internal static class ProcCpu
{
    /// <summary>User plus system CPU of the process and of its children it has waited for, in milliseconds; 0 once it is gone.</summary>
    public static double Ms(int pid)
    {
        var fields = StatFields(pid);
        return fields is null ? 0 : (Ticks(fields, 11) + Ticks(fields, 12) + Ticks(fields, 13) + Ticks(fields, 14)) * 10.0;
    }

    /// <summary><see cref="Ms"/> of the process and of each child it has now (nginx's master and its workers).</summary>
    public static double TreeMs(int pid) => Ms(pid) + Children(pid).Sum(Ms);

    /// <summary>The most resident memory the process ever had (VmHWM), in MiB; 0 once it is gone.</summary>
    public static double PeakRssMb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static List<int> Children(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{pid}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(c => int.Parse(c, CultureInfo.InvariantCulture))
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Ticks(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
}
