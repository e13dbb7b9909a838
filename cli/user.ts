/** `main.ts user add NAME --role clerk|admin | list | disable NAME`: clerk and admin accounts. */
import { ConfigError, DB_KEY_HELP, loadConfig, parseFlags } from "../config.ts";
import { openConfiguredDb } from "./_open_db.ts";
import type { AuditedBy } from "../db/audit.ts";
import { createUser, listUsers, setUserDisabled, UserError } from "../db/users.ts";

const HELP = `Uso: main.ts user add NOME --role clerk|admin | list | disable NOME  [--db PERCORSO]

Gestisce gli account degli operatori (clerk) e degli amministratori (admin) di questo database.
  add NOME --role R   crea NOME; la password è chiesta senza eco al terminale, o letta dalla
                      prima riga dello standard input (echo "…" | main.ts user add …)
  list                account con ruolo e stato
  disable NOME        l'account non può più entrare; le sue sessioni terminano
  --db PERCORSO       database (env FALDONE_DB; predefinito ./data/faldone.db)
${DB_KEY_HELP}`;

const encoder = new TextEncoder();

async function readHidden(prompt: string): Promise<string> {
  await Deno.stdout.write(encoder.encode(prompt));
  Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  const buf = new Uint8Array(1);
  try {
    while (true) {
      const n = await Deno.stdin.read(buf);
      const b = buf[0];
      if (n === null || b === undefined || b === 13 || b === 10) break;
      if (b === 3) throw new ConfigError("annullato");
      if (b === 127 || b === 8) bytes.pop();
      else bytes.push(b);
    }
  } finally {
    Deno.stdin.setRaw(false);
    await Deno.stdout.write(encoder.encode("\n"));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

async function readPassword(): Promise<string> {
  if (Deno.stdin.isTerminal()) {
    const first = await readHidden("Password: ");
    const again = await readHidden("Ripeti la password: ");
    if (first !== again) throw new ConfigError("le due password non coincidono");
    return first;
  }
  const text = await new Response(Deno.stdin.readable).text();
  return text.split(/\r?\n/)[0] ?? "";
}

/** Runs one user subcommand. */
export async function userCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { role: { type: "string" } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [action, name] = positionals;
  if (action !== "list" && ((action !== "add" && action !== "disable") || !name)) {
    throw new ConfigError(
      `user richiede add NOME --role clerk|admin, list oppure disable NOME\n\n${HELP}`,
    );
  }
  const role = values.role ?? "clerk";
  if (role !== "clerk" && role !== "admin") {
    throw new ConfigError(`--role deve essere clerk o admin, non "${role}"`);
  }
  const config = loadConfig("branch", values, (n) => Deno.env.get(n));
  const { db, client } = await openConfiguredDb(config);
  // No account acts here: the entry says the change came from the command line.
  const by = (): AuditedBy => ({
    actor: null,
    via: "da riga di comando",
    now: new Date(),
    branch: config.branchName,
    outbox: true,
  });
  try {
    if (action === "add" && name) {
      const password = await readPassword();
      const user = await createUser(db, { username: name, role, password }, by());
      console.log(`Utente "${user.username}" creato con ruolo ${role}.`);
      return 0;
    }
    if (action === "disable" && name) {
      await setUserDisabled(db, name, true, by());
      console.log(`Utente "${name}" disattivato.`);
      return 0;
    }
    for (const u of await listUsers(db)) {
      console.log(`${u.username}\t${u.role}\t${u.disabled ? "disattivato" : "attivo"}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof UserError) {
      console.error(`Errore: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    client.close();
  }
}
