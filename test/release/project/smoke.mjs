import * as m from 'selu-kernels';
import check from './smoke-checks.cjs';

// Named ES module exports (not only the default one), as `import { selu } from 'selu-kernels'` uses them.
check({ ...m }, 'import');
