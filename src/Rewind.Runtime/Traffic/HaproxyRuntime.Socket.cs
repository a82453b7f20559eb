using System.Net.Sockets;
using System.Text;
using Rewind.Core.Configuration;
using Rewind.Core.Haproxy;

namespace Rewind.Runtime.Traffic;

public sealed partial class HaproxyRuntime
{
    /// <summary>An answer larger than this is refused rather than read on. 4 MiB.</summary>
    public const int MaxAnswerBytes = 4 * 1024 * 1024;

    private async Task<string> SendAsync(string command, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var socket = Address.IsUnix
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(Address.EndPoint, linked.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"), linked.Token);
            return await ReadToEndAsync(command, stream, linked.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HaproxyRuntimeException(command, $"no answer from HAProxy at {Address} within {Durations.Format(Timeout)}", ex, isTransient: true);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            // A Unix socket path that does not exist (ENOENT) surfaces as "Cannot assign requested address".
            var why = Address.IsUnix && ex is SocketException { SocketErrorCode: SocketError.AddressNotAvailable } ? "no socket at this path" : ex.Message;
            throw new HaproxyRuntimeException(command, $"cannot reach HAProxy at {Address}: {why}", ex, isTransient: true);
        }
    }

    private static async Task<string> ReadToEndAsync(string command, NetworkStream stream, CancellationToken cancellationToken)
    {
        using var answer = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (answer.Length + read > MaxAnswerBytes)
            {
                throw new HaproxyRuntimeException(command, $"answer larger than {MaxAnswerBytes} bytes", null, isTransient: false);
            }

            answer.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(answer.GetBuffer(), 0, (int)answer.Length);
    }
}
