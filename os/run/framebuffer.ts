import { framebufferScenario } from '../src/test/framebuffer/scenario.js';

export default framebufferScenario(true);
