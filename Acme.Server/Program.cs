using Acme.Server.Hosting;
using Acme.Server.Hosting.Commands;
using Microsoft.Extensions.Options;

try
{
    if (CaCommands.IsCaCommand(args))
    {
        // CA set-up runs before any host is built: it needs no configured CA, database or listener.
        return await CaCommands.RunAsync(args, Console.Out, Console.Error);
    }

    if (AdminCommands.IsAdminCommand(args))
    {
        // Operator commands use the same configuration and database, without listeners.
        var admin = AcmeServerHost.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('='))]);
        await AcmeServerHost.PrepareAsync(admin, CancellationToken.None);
        return await AdminCommands.RunAsync(admin, args, Console.Out, Console.Error);
    }

    var app = AcmeServerHost.Build(args);
    await AcmeServerHost.PrepareAsync(app, CancellationToken.None);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine("Configuration error: " + string.Join(Environment.NewLine + "Configuration error: ", e.Failures));
    return 2;
}
catch (InvalidOperationException e) when (e.Message.Contains(':'))
{
    // Configuration problems name their setting ("Issuance:CaKeyPath: ...").
    Console.Error.WriteLine("Configuration error: " + e.Message);
    return 2;
}
catch (IOException e)
{
    Console.Error.WriteLine("Start-up failed: " + e.Message);
    return 2;
}
