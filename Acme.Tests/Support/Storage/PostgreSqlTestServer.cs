using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Acme.Tests.Support.Storage;

/// <summary>
/// A throw-away PostgreSQL cluster from Debian's <c>postgresql</c> package, started once per test run on
/// 127.0.0.1 (initdb + pg_ctl as the <c>postgres</c> user, no system service), with one fresh database per
/// server under test. When PostgreSQL is not installed the test is ignored locally and fails under CI.
/// </summary>
public sealed class PostgreSqlTestServer : IDisposable
{
    private static readonly Lazy<(PostgreSqlTestServer? Server, string? Problem)> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _bin;
    private readonly string _root;

    private PostgreSqlTestServer(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The administrator's connection string (database <c>postgres</c>).</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>The shared cluster, started on first use; ends the test when PostgreSQL cannot be had.</summary>
    public static PostgreSqlTestServer Require()
    {
        var (server, problem) = Shared.Value;
        if (server is null)
        {
            RequiredTool.Missing($"PostgreSQL for the storage tests: {problem} (Debian package postgresql)");
        }

        return server!;
    }

    /// <summary>Stops the cluster if this run started one (called once, at the end of the run).</summary>
    public static void StopShared()
    {
        if (Shared.IsValueCreated)
        {
            Shared.Value.Server?.Dispose();
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = "acme_" + Guid.NewGuid().ToString("N");
        using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            create.ExecuteNonQuery();
        }

        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Maximum Pool Size=20";
    }

    /// <summary>Creates a database and writes its connection string into a new file, as <c>Storage:ConnectionStringFile</c> reads it.</summary>
    public string CreateDatabaseFile()
    {
        var folder = Path.Combine(_root, "connections");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".conn");
        File.WriteAllText(file, CreateDatabase());
        return file;
    }

    public void Dispose()
    {
        Run(Path.Combine(_bin, "pg_ctl"), $"-D {_root}/data stop -m immediate", out _);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // the temp folder is cleaned later
        }
    }

    private static (PostgreSqlTestServer?, string?) Start()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            return (null, "no /usr/lib/postgresql/*/bin/initdb");
        }

        var directory = Path.Combine(Path.GetTempPath(), "acme-pg-cluster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        if (Environment.UserName == "root" && !Run("chown", $"postgres:postgres {directory}", out var chown))
        {
            return (null, "chown to postgres failed: " + chown);
        }

        var port = FreePort();
        // Durability is off on purpose: the cluster lives for one test run.
        var options = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400";
        if (!Run(Path.Combine(bin, "initdb"), $"-D {directory}/data -A trust -U postgres --no-locale -E UTF8", out var initdb))
        {
            return (null, "initdb failed: " + initdb);
        }

        if (!Run(Path.Combine(bin, "pg_ctl"), $"-D {directory}/data -l {directory}/server.log -o \"{options}\" -w -t 60 start", out var start))
        {
            return (null, "pg_ctl start failed: " + start);
        }

        return (new PostgreSqlTestServer(bin, directory, port), null);
    }

    /// <summary>Runs a PostgreSQL tool, as the postgres user when we are root (initdb refuses root).</summary>
    private static bool Run(string program, string arguments, out string output)
    {
        var asRoot = Environment.UserName == "root" && program != "chown";
        var info = new ProcessStartInfo(asRoot ? "runuser" : program, asRoot ? $"-u postgres -- {program} {arguments}" : arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            output = "timed out";
            return false;
        }

        output = stdout.Result + stderr.Result;
        return process.ExitCode == 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
