using Acme.Server.Hosting;
using Microsoft.Extensions.Options;

try
{
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
