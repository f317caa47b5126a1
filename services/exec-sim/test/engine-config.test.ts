import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig, engineConfigSchema, parseEngineConfig } from '../src/domain/config.js';
import { ExecutionEngine } from '../src/domain/engine.js';
import { EngineConfigError } from '../src/domain/errors.js';
import { catalog } from './support/engine-harness.js';

describe('engine config', () => {
  it('the defaults are valid and parseEngineConfig() returns them', () => {
    expect(engineConfigSchema.parse(DEFAULT_ENGINE_CONFIG)).toEqual(DEFAULT_ENGINE_CONFIG);
    expect(parseEngineConfig()).toEqual(DEFAULT_ENGINE_CONFIG);
  });

  it('lays a partial file over the defaults, key by key', () => {
    const config = parseEngineConfig({
      seed: 7,
      risk: { instruments: { ES: { maxPosition: 5 } }, strategies: { 'orb-es-5m': { maxOrdersPerSecond: 2 } } },
      fillModel: { latencyMs: { min: 0, max: 0 }, liquidityByInstrument: { BTCUSDT: 0.5 } },
    });
    expect(config.seed).toBe(7);
    expect(config.risk.instruments).toEqual({ ...DEFAULT_ENGINE_CONFIG.risk.instruments, ES: { maxPosition: 5 } });
    expect(config.risk.strategies['orb-es-5m']).toEqual({ maxOrdersPerSecond: 2 });
    expect(config.risk.defaults).toEqual(DEFAULT_ENGINE_CONFIG.risk.defaults);
    expect(config.fillModel.slippage).toEqual(DEFAULT_ENGINE_CONFIG.fillModel.slippage);
    expect(config.fillModel.liquidityByInstrument).toEqual({ BTCUSDT: 0.5 });
  });

  it('null turns a liquidity cap off', () => {
    expect(parseEngineConfig({ fillModel: { liquidityPerEvent: { futures: null } } }).fillModel.liquidityPerEvent.futures).toBeNull();
  });

  it.each([
    [{ seed: 1.5 }, 'seed'],
    [{ fillModel: { latencyMs: { min: 50, max: 5 } } }, 'fillModel.latencyMs'],
    [{ fillModel: { slippage: { fx: { unit: 'pips', max: 1 } } } }, 'fillModel.slippage.fx.unit'],
    [{ risk: { defaults: { futures: { maxPosition: -1 } } } }, 'risk.defaults.futures.maxPosition'],
    [{ risk: { instruments: { 'es z6': { maxPosition: 1 } } } }, 'risk.instruments.es z6'],
    [{ risk: { strategyDefaults: { maxGrossNotional: { usd: 1 } } } }, 'risk.strategyDefaults.maxGrossNotional.usd'],
    [{ risk: { strategyDefaults: { maxOrdersPerSecnd: 1 } } }, 'risk.strategyDefaults'],
  ])('rejects %j naming %s', (overrides, path) => {
    try {
      parseEngineConfig(overrides);
      expect.unreachable('the config should be refused');
    } catch (error) {
      expect(error).toBeInstanceOf(EngineConfigError);
      expect((error as EngineConfigError).issues.map((issue) => issue.path)).toContain(path);
    }
  });

  it('the engine refuses an invalid config object', () => {
    const broken = { ...DEFAULT_ENGINE_CONFIG, seed: 'x' } as unknown as EngineConfig;
    expect(() => new ExecutionEngine(broken, catalog)).toThrow(EngineConfigError);
  });
});
