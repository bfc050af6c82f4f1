using System.Net;
using System.Net.Sockets;
using System.Text;
using CretoAI.Fast.Node.HostChild;
using CretoAI.Fast.Node.Metrics;
using CretoAI.Fast.Node.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CretoAI.Fast.Node.Tests;

public sealed class MetricsEndpointTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Get_metrics_answers_the_text_exposition()
    {
        var observer = new PrometheusReplicaObserver();
        ObserverScenario.FeedEveryEventOnce(observer);
        await using var endpoint = StartEndpoint(observer);

        var (head, body) = await RequestAsync(endpoint, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n", head, StringComparison.Ordinal);
        Assert.Contains($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n", head, StringComparison.Ordinal);
        var exposition = Exposition.Parse(body);
        Assert.Equal(5, exposition.Value("cretoai_chain_height"));
        Assert.Equal(1, exposition.Value("cretoai_block_commit_latency_seconds_count"));
    }

    [Fact]
    public async Task Http_client_can_scrape_it_with_a_query_string()
    {
        await using var endpoint = StartEndpoint(new PrometheusReplicaObserver());
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri($"http://{endpoint.LocalEndPoint}/metrics?name[]=x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE cretoai_chain_height gauge", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "404 Not Found")]
    [InlineData("GET /metricsx HTTP/1.1\r\n\r\n", "404 Not Found")]
    [InlineData("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "405 Method Not Allowed")]
    [InlineData("GET /metrics\r\n\r\n", "400 Bad Request")]
    [InlineData("hello\r\n\r\n", "400 Bad Request")]
    public async Task Anything_else_gets_an_error_status(string request, string status)
    {
        await using var endpoint = StartEndpoint(new PrometheusReplicaObserver());

        var (head, _) = await RequestAsync(endpoint, request);

        Assert.StartsWith("HTTP/1.1 " + status + "\r\n", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_answers_without_a_body()
    {
        await using var endpoint = StartEndpoint(new PrometheusReplicaObserver());

        var (head, body) = await RequestAsync(endpoint, "HEAD /metrics HTTP/1.1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task An_oversized_request_head_is_refused()
    {
        await using var endpoint = StartEndpoint(new PrometheusReplicaObserver());
        var request = "GET /metrics HTTP/1.1\r\nX-Padding: " + new string('a', MetricsEndpoint.MaxRequestBytes) + "\r\n\r\n";

        var (head, _) = await RequestAsync(endpoint, request);

        Assert.StartsWith("HTTP/1.1 431 ", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_head_split_across_reads_is_understood()
    {
        await using var endpoint = StartEndpoint(new PrometheusReplicaObserver());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint.LocalEndPoint!);
        socket.NoDelay = true;
        foreach (var part in new[] { "GET /metr", "ics HTTP/1.1\r\n", "Host: x\r", "\n\r", "\n" })
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(part));
            await Task.Delay(20);
        }

        var answer = await ReadToEndAsync(socket);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_port_fails_start_with_one_clear_line()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        await using var endpoint = new MetricsEndpoint(new PrometheusReplicaObserver(), new IPEndPoint(IPAddress.Loopback, port), NullLogger.Instance);

        var error = Assert.Throws<IOException>(endpoint.Start);

        Assert.Equal($"metrics_listen 127.0.0.1:{port}: address already in use", error.Message);
    }

    [Fact]
    public async Task Every_interface_in_ipv6_also_serves_ipv4()
    {
        await using var endpoint = new MetricsEndpoint(new PrometheusReplicaObserver(), new IPEndPoint(IPAddress.IPv6Any, 0), NullLogger.Instance);
        endpoint.Start();
        using var client = new HttpClient();

        var body = await client.GetStringAsync(new Uri($"http://127.0.0.1:{endpoint.LocalEndPoint!.Port}/metrics"));

        Assert.Contains("# TYPE cretoai_chain_height gauge", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_closes_the_port()
    {
        var endpoint = StartEndpoint(new PrometheusReplicaObserver());
        var address = endpoint.LocalEndPoint!;

        await endpoint.DisposeAsync();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(address));
    }

    [Fact]
    public async Task Promtool_accepts_the_scraped_output()
    {
        var promtool = Promtool.Find();
        if (promtool is null)
        {
            // CI installs it (.ci/run); a developer machine without it still runs every other test.
            Assert.NotEqual("true", Environment.GetEnvironmentVariable("CI"));
            output.WriteLine("promtool not on PATH (apt-get install prometheus): lint not run");
            return;
        }

        var observer = new PrometheusReplicaObserver();
        ObserverScenario.FeedEveryEventOnce(observer);
        observer.ReadSnapshotsFrom(() => PrometheusReplicaObserverTests.Status(height: 5, round: 6, epoch: 1), () => new Net.TransportCounters());
        await using var endpoint = StartEndpoint(observer);
        var (_, body) = await RequestAsync(endpoint, "GET /metrics HTTP/1.1\r\n\r\n");

        var (exitCode, lint) = await Promtool.CheckMetricsAsync(promtool, body);

        output.WriteLine(lint);
        Assert.Equal(0, exitCode);
        Assert.Equal("", lint.Trim());
    }

    private static MetricsEndpoint StartEndpoint(PrometheusReplicaObserver observer)
    {
        var endpoint = new MetricsEndpoint(observer, new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        endpoint.Start();
        return endpoint;
    }

    private static async Task<(string Head, string Body)> RequestAsync(MetricsEndpoint endpoint, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint.LocalEndPoint!);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var answer = await ReadToEndAsync(socket);
        var split = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, "no complete response head: " + answer);
        return (answer[..(split + 2)], answer[(split + 4)..]);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }
}
