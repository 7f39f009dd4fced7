'use strict';
require('./smoke-checks.cjs')(require('selu-kernels'), 'require');
