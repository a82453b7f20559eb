using Microsoft.Extensions.Logging;

namespace Rewind.Server.Dashboard;

internal static partial class DashboardLog
{
    [LoggerMessage(5001, LogLevel.Error, "Reading changes for the dashboard's event stream failed; trying again at the next tick")]
    public static partial void ChangeFeedFailed(ILogger logger, Exception exception);

    [LoggerMessage(5002, LogLevel.Information, "Dashboard login of {User} ({Result})")]
    public static partial void Login(ILogger logger, string user, string result);
}
