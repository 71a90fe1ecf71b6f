// Starts Switchboard with Teams on a fake Bot Connector and an isolated database, for the Teams end-to-end tests.
import { startSwitchboard, type Switchboard } from "../../src/app.js";
import { startFakeBotConnector, type FakeBotConnector } from "../fakes/bot-connector.js";
import { aTeamsPerson, teamsActivities, type TeamsPerson } from "../support/teams-activities.js";
import { silentLogger, testConfig } from "../support/test-config.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

export interface TeamsHarness {
  app: Switchboard;
  connector: FakeBotConnector;
  /** Activity builders for the fake connector's serviceUrl. */
  teams: ReturnType<typeof teamsActivities>;
  database: TestDatabase;
  /** Ana Ruiz, a member of the fake tenant (example.com, which may join). */
  ana: TeamsPerson;
  /** A new member of the fake tenant, known to the connector (not yet to Switchboard). */
  addPerson(name: string): TeamsPerson;
  stop(): Promise<void>;
}

export async function startTeamsHarness(env: Record<string, string> = {}): Promise<TeamsHarness> {
  const connector = await startFakeBotConnector();
  let database: TestDatabase | undefined;
  try {
    database = await createTestDatabase();
    const app = await startSwitchboard(
      testConfig({ DATABASE_URL: database.url.replace(/^postgresql:/, "postgres:"), TEAMS_ENABLED: "true", ALLOWED_EMAIL_DOMAINS: "example.com", ...env }),
      silentLogger,
    );
    const addPerson = (name: string) => {
      const person = aTeamsPerson({ name });
      connector.addMember(person);
      return person;
    };
    const db = database;
    return {
      app,
      connector,
      teams: teamsActivities(connector),
      database,
      ana: addPerson("Ana Ruiz"),
      addPerson,
      async stop() {
        await app.stop();
        await connector.close();
        await db.close();
      },
    };
  } catch (error) {
    await database?.close();
    await connector.close();
    throw error;
  }
}
