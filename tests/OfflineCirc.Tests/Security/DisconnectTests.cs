using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Tests.Security;

/// <summary>A client that goes away mid-request is logged as that, at information level, and never as a server error.</summary>
public class DisconnectTests
{
    private sealed class KeptLog : ILogger<RequestGuard>
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }

    [Theory]
    [InlineData(typeof(OperationCanceledException))]
    [InlineData(typeof(IOException))]
    public async Task A_client_that_disconnects_is_logged_as_gone_with_status_499(Type thrown)
    {
        var log = new KeptLog();
        using var aborted = new CancellationTokenSource();
        var guard = new RequestGuard(_ =>
        {
            aborted.Cancel();
            throw (Exception)Activator.CreateInstance(thrown)!;
        }, new RefusalHandler(null!), log);
        var http = new DefaultHttpContext { RequestAborted = aborted.Token };
        http.Request.Method = "GET";
        http.Request.Path = "/api/sessions/1/results.csv";

        await guard.InvokeAsync(http);

        Assert.Equal(499, http.Response.StatusCode);
        var line = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("The client closed the connection during GET /api/sessions/1/results.csv", line.Text);
    }

    [Fact]
    public async Task A_fault_while_the_client_is_still_there_is_not_mistaken_for_a_disconnect()
    {
        var guard = new RequestGuard(_ => throw new IOException("disk full"), new RefusalHandler(null!), new KeptLog());
        var http = new DefaultHttpContext();
        http.Request.Path = "/api/sessions";
        await Assert.ThrowsAsync<IOException>(() => guard.InvokeAsync(http));
    }
}
